using Pipeline.Running;
using Pipeline.Tests.Hostile;
using Pipeline.Tests.Support;
using Pipeline.Unattended;

namespace Pipeline.Tests.Unattended;

/// <summary>The journal on a disk that fills up during the run: a real 2 MB tmpfs.</summary>
public sealed class JournalFullDiskTests
{
    [MountFact("to mount a 2 MB tmpfs")]
    public void Record_DiskFullOnceOpened_StopsRecordingWithoutThrowingAndKeepsWhatWasWritten()
    {
        using var c = new HostileCase();
        c.Mkdir("disk");
        Assert.True(c.TryMount(c.Sub("disk"), "-t", "tmpfs", "-o", "size=2m", "tmpfs"), "mount -t tmpfs failed");
        c.Mkdir("disk/out");
        var output = c.Sub("disk/out");
        var transform = new XorTransform();
        var sut = RunJournal.Open(output, transform, resume: false);
        sut.Record(Result("before.txt"));

        c.Sh("dd if=/dev/zero of=disk/filler bs=4k 2>/dev/null || true"); // every block taken: nothing more fits
        var many = Enumerable.Range(0, 2000).Select(i => Result($"after-{i:D4}-{new string('x', 200)}.txt")).ToList();
        var record = Record.Exception(() => sut.Record(many));
        var later = Record.Exception(() => sut.Record(Result("later.txt")));
        var dispose = Record.Exception(sut.Dispose);

        Assert.Null(record);
        Assert.Null(later);
        Assert.Null(dispose);
        var journal = File.ReadAllText(RunJournal.PathFor(output));
        Assert.Contains("before.txt", journal, StringComparison.Ordinal);
        Assert.DoesNotContain("later.txt", journal, StringComparison.Ordinal);
    }

    private static FileResult Result(string path) =>
        new(path, FileStatus.Succeeded, 1, 1, TimeSpan.FromMilliseconds(1)) { LastWriteTimeUtc = DateTime.UnixEpoch, Length = 1 };
}
