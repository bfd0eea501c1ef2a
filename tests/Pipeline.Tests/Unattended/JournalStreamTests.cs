using System.Buffers;
using System.Text;
using System.Threading.Tasks.Dataflow;
using Pipeline.Hashing;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Running;
using Pipeline.Tests.Support;
using Pipeline.Unattended;

namespace Pipeline.Tests.Unattended;

/// <summary>The journal read as a stream: compacted before a resume, looked up in walk order or any order, bounded over many resumed runs.</summary>
public sealed class JournalStreamTests
{
    [Fact]
    public void Compact_ShuffledJournalWithDuplicatesFailuresAndGarbage_LastEntryOfEachPathSortedFailuresDropped()
    {
        using var temp = new TempDir();
        var random = new Random(5);
        var lines = new List<JournalEntry>();
        for (var i = 0; i < 40_000; i++)
        {
            // More entries than one sorted run holds, so the sort spills and merges.
            var path = $"d{random.Next(50):D2}/f{random.Next(800):D3}";
            lines.Add(new JournalEntry(path, i, i * 10L, random.Next(4) == 0 ? "other" : "fp", random.Next(5) != 0, i, random.Next(2) == 0 ? $"a{i}" : null));
        }

        var journal = temp.Sub("journal");
        WriteJournal(journal, lines, garbageAfter: 1000);
        var expected = lines.GroupBy(e => e.Path).Select(g => g.Last()).Where(e => e.Done).OrderBy(e => e.Path, StringComparer.Ordinal).ToList();

        Assert.False(JournalCompaction.IsCompact(journal));
        JournalCompaction.Compact(journal, journal, temp.Sub("spill"));

        Assert.True(JournalCompaction.IsCompact(journal));
        Assert.Equal(Render(expected), File.ReadAllText(journal));
        Assert.False(Directory.Exists(temp.Sub("spill")));
        Assert.Equal(["journal"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Cursor_AskedInOrderAndInRandomOrder_GivesEveryEntryAndNothingElse()
    {
        using var temp = new TempDir();
        var entries = Enumerable.Range(0, 30_000).Select(i => new JournalEntry($"p/{i * 2:D6}", i, i, "fp", true, i, null)).ToList();
        var journal = temp.Sub("journal");
        WriteJournal(journal, entries);
        var asked = Enumerable.Range(0, 60_001).Select(i => $"p/{i:D6}").ToList();

        using (var inOrder = new JournalCursor(journal, new FileInfo(journal).Length))
        {
            Assert.All(asked, path => Assert.Equal(int.Parse(path[2..]) % 2 == 0 && path != "p/060000", inOrder.Find(path)?.Path == path));
        }

        using var anyOrder = new JournalCursor(journal, new FileInfo(journal).Length);
        foreach (var path in asked.OrderBy(_ => Random.Shared.Next()).Take(3_000).Append("a").Append("q").Append("p/000000"))
        {
            var even = path.StartsWith("p/", StringComparison.Ordinal) && int.Parse(path[2..]) % 2 == 0 && path != "p/060000";
            Assert.Equal(even ? path : null, anyOrder.Find(path)?.Path);
        }
    }

    [Fact]
    public void Cursor_ReadsNothingAppendedAfterItOpened()
    {
        using var temp = new TempDir();
        var journal = temp.Sub("journal");
        WriteJournal(journal, [new JournalEntry("b", 1, 1, "fp", true, 0, null)]);
        using var sut = new JournalCursor(journal, new FileInfo(journal).Length);
        File.AppendAllText(journal, Render([new JournalEntry("c", 1, 1, "fp", true, 0, null)]));

        Assert.NotNull(sut.Find("b"));
        Assert.Null(sut.Find("c"));
    }

    [Fact]
    public void Compact_InterruptedPartWay_LeavesTheJournalAsItWas()
    {
        using var temp = new TempDir();
        var journal = temp.Sub("journal");
        WriteJournal(journal, Enumerable.Range(0, 40_000).Select(i => new JournalEntry($"f{(i * 7919) % 40_000:D5}", i, i, "fp", true, i, null)).ToList());
        var before = File.ReadAllBytes(journal);
        temp.Write("spill", "a file where the sort wants its folder: the first spilled run fails");

        Assert.ThrowsAny<IOException>(() => JournalCompaction.Compact(journal, journal, temp.Sub("spill")));

        Assert.Equal(before, File.ReadAllBytes(journal));
        Assert.Empty(Directory.GetFiles(temp.Path, "*" + AtomicFileWriter.TempSuffix));
    }

    [Fact]
    public async Task Resume_ManyResumedRunsRedoingSomeFiles_JournalHoldsOneLineAFileAndSkipsTheRest()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 60, maxSize: 300, seed: 8);
        var files = Directory.GetFiles(temp.Sub("in"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { Resume = true };
        await DataflowRunner.RunAsync(new HashTransform(), options);

        for (var round = 1; round <= 4; round++)
        {
            foreach (var file in files.Where((_, i) => i % 10 == round))
            {
                File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(round));
            }

            var run = await DataflowRunner.RunAsync(new HashTransform(), options);

            Assert.Equal((files.Count - 6, 6), (run.FilesSkipped, run.FilesSucceeded));
            Assert.Equal(files.Count + 6, File.ReadAllLines(RunJournal.PathFor(temp.Sub("out"))).Length); // compacted, then this run's six
        }

        var last = await DataflowRunner.RunAsync(new HashTransform(), options);
        Assert.Equal(files.Count, last.FilesSkipped);
        Assert.True(JournalCompaction.IsCompact(RunJournal.PathFor(temp.Sub("out"))));
    }

    [Fact]
    public async Task Resume_BlockGivenFilesInReverseOrder_SkipsTheSameFilesAsInOrder()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 40, maxSize: 300, seed: 9);
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { Resume = true };
        await DataflowRunner.RunAsync(new HashTransform(), options.With(o => o.Selection.Exclude = ["**/*1*"]));
        var expected = GlobFileSource.Enumerate(new FileSelection(temp.Sub("in")) { Exclude = ["**/*1*"] }).Select(f => f.RelativePath).ToHashSet();

        var block = DataflowRunner.CreateBlock(new HashTransform(), options);
        var skipped = new List<string>();
        var sink = new ActionBlock<FileResult>(r =>
        {
            if (r.Status == FileStatus.Skipped)
            {
                skipped.Add(r.RelativePath);
            }
        });
        block.LinkTo(sink, new DataflowLinkOptions { PropagateCompletion = true });
        foreach (var file in GlobFileSource.Enumerate(options.Selection).Reverse())
        {
            await block.SendAsync(file);
        }

        block.Complete();
        await sink.Completion;

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(StringComparer.Ordinal), skipped.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DryRun_UnsortedJournal_PlansTheSameSkipsAndTouchesNothing()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 30, maxSize: 300, seed: 10);
        var options = new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")) { Resume = true };
        await DataflowRunner.RunAsync(new HashTransform(), options.With(o => o.Selection.Exclude = ["**/*2*"]));
        var journal = RunJournal.PathFor(temp.Sub("out"));
        var reversed = File.ReadAllLines(journal).Reverse().ToList();
        File.WriteAllLines(journal, reversed);
        var before = File.ReadAllBytes(journal);

        var plan = RunPlanner.Plan(new HashTransform(), options).ToList();

        Assert.Equal(reversed.Count, plan.Count(p => p.Skip));
        Assert.Equal(before, File.ReadAllBytes(journal));
        Assert.Equal(["journal", "lock", "lock.pid"], Directory.GetFiles(temp.Sub("out/.pipeline")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [LinuxFact]
    public async Task Resume_KilledWhileCompactingTheJournal_LeavesItWholeAndTheNextResumeSkipsAsBefore()
    {
        using var temp = new TempDir();
        Corpus.Generate(temp.Sub("in"), files: 200, maxSize: 300, seed: 11);
        await DataflowRunner.RunAsync(new HashTransform(), new PipelineOptions(new FileSelection(temp.Sub("in")), temp.Sub("out")));
        var journal = RunJournal.PathFor(temp.Sub("out"));

        // Files gone from the tree since, many of them, in no order, first: a compaction long enough to be killed in.
        var random = new Random(12);
        var gone = Enumerable.Range(0, 400_000).Select(i => new JournalEntry($"gone/{random.Next():D10}-{i}", 1, 1, "hash:sha256:sums", true, 0, null)).ToList();
        File.WriteAllText(journal, Render(gone) + File.ReadAllText(journal));
        var before = File.ReadAllBytes(journal);
        var folder = Path.GetDirectoryName(journal)!;

        foreach (var (point, reached) in new (string, Func<bool>)[]
        {
            ("sorted runs were being spilled", () => Directory.Exists(Path.Join(folder, "journal-sort"))),
            ("the compacted journal was being written", () => Directory.GetFiles(folder, "*" + AtomicFileWriter.TempSuffix).Length > 0),
        })
        {
            using var child = ChildPipeline.Start("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--resume", "--quiet");
            await child.WaitUntilAsync(reached, point);
            child.Kill();
            Assert.Equal(137, (await child.WaitAsync()).ExitCode);

            // Whole either way: as it was, or (the kill landing just after the rename) the compacted journal entire.
            var after = File.ReadAllBytes(journal);
            Assert.True(after.AsSpan().SequenceEqual(before) || (JournalCompaction.IsCompact(journal) && File.ReadLines(journal).Count() == 400_200), $"the journal was left torn when killed while {point}");
        }

        var resumed = await ChildPipeline.RunAsync("run", "hash", temp.Sub("in"), "-o", temp.Sub("out"), "--resume", "--json");

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("\"files_skipped\":200,", resumed.Out, StringComparison.Ordinal);
        Assert.True(JournalCompaction.IsCompact(journal));
        Assert.Equal(400_200, File.ReadLines(journal).Count());
        Assert.Equal(["journal", "lock", "lock.pid"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static void WriteJournal(string path, IReadOnlyList<JournalEntry> entries, int garbageAfter = -1)
    {
        var text = new StringBuilder();
        for (var i = 0; i < entries.Count; i++)
        {
            text.Append(Render([entries[i]]));
            if (i == garbageAfter)
            {
                text.Append("{\"path\":\"not a whole entry\"}\nnot json at all\n");
            }
        }

        File.WriteAllText(path, text.ToString());
    }

    private static string Render(IEnumerable<JournalEntry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var entry in entries)
        {
            entry.WriteLine(buffer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
