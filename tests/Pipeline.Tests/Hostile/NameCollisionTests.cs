using System.IO.Compression;
using System.Text.Json;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// E. Two results that would land on one path. The rule: never silently; the later input in ordinal order fails with a
/// reason naming the one that got the path, exit 1, and an input named like the run's own aggregate output is neither
/// overwritten by the aggregate nor dropped without a word.
/// </summary>
public sealed class NameCollisionTests
{
    [LinuxFact]
    public async Task CsvToJsonl_DataCsvAndDataTsv_TheLaterFailsNamingTheEarlier()
    {
        using var c = new HostileCase();
        c.Write("in/data.csv", "id,v\n1,from-csv\n");
        c.Write("in/data.tsv", "id,v\n2,from-tsv\n");

        var run = await c.RunAsync("run", "csv", c.In, "-o", c.Out, "--to", "jsonl", "--json");

        c.AssertOutcome(run, 1);
        run.AssertFailed("data.tsv", "data.csv");
        Assert.Single(run.Failed);
        var rows = File.ReadAllLines(Path.Join(c.Out, "data.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("v").GetString()).ToList();
        Assert.Equal(["from-csv"], rows);
    }

    [LinuxFact]
    public async Task Csv_InputNamedBadRowsCsvAtTheRoot_FailsNamingItAndTheAggregateIsWritten()
    {
        using var c = new HostileCase();
        c.Write("in/bad-rows.csv", "file,line\nmine,1\n");
        c.Write("in/other.csv", "id,v\n1,x\n2,y,extra\n");

        var run = await c.RunAsync("run", "csv", c.In, "-o", c.Out, "--json");

        c.AssertOutcome(run, 1, "bad-rows.csv");
        run.AssertFailed("bad-rows.csv", "bad-rows.csv");
        var (header, rows) = CsvReadBack.Read(Path.Join(c.Out, "bad-rows.csv"));
        Assert.Equal(["file", "line", "reason", "raw"], header);
        Assert.Equal(("other.csv", "3"), (Assert.Single(rows)[0], rows[0][1]));
    }

    [LinuxTheory]
    [InlineData("SHA256SUMS")]
    [InlineData("MD5SUMS", "--algorithm", "md5")]
    [InlineData("B3SUMS", "--algorithm", "blake3")]
    [InlineData("hashes.csv", "--format", "csv")]
    public async Task Hash_InputNamedLikeTheManifest_IsHashedLikeAnyOtherAndTheManifestIsWrittenBesideNothing(string manifest, params string[] options)
    {
        // hash writes no file per input, only the manifest in the output folder: an input of the same name in the input
        // folder collides with nothing, and is an input like any other.
        using var c = new HostileCase();
        c.Write("in/" + manifest, "an input that merely shares the manifest's name\n");
        c.Write("in/a.txt", "alpha");

        var run = await c.RunAsync(["run", "hash", c.In, "-o", c.Out, "--json", .. options]);

        c.AssertOutcome(run, 0);
        var written = File.ReadAllText(Path.Join(c.Out, manifest));
        Assert.Contains("a.txt", written, StringComparison.Ordinal);
        Assert.Contains(manifest, written, StringComparison.Ordinal);
        Assert.DoesNotContain("merely", written, StringComparison.Ordinal);
    }

    [LinuxFact]
    public async Task Gzip_AAndAGz_NoCollisionBothOutputsExist()
    {
        using var c = new HostileCase();
        c.Write("in/a", "plain");
        c.Write("in/a.gz", "not really gzip, but an input like any other");

        var run = await c.RunAsync("run", "gzip", c.In, "-o", c.Out);

        c.AssertOutcome(run, 0);
        Assert.Equal("plain", Gunzip(Path.Join(c.Out, "a.gz")));
        Assert.Equal("not really gzip, but an input like any other", Gunzip(Path.Join(c.Out, "a.gz.gz")));
    }

    [LinuxFact]
    public async Task Gunzip_SubGzAndAFolderSub_TheLaterFailsNamingTheEarlier()
    {
        using var c = new HostileCase();
        c.Write("in/sub.gz", GzipBytes("the file sub"));
        c.Write("in/sub/y.gz", GzipBytes("the file sub/y"));

        var run = await c.RunAsync("run", "gunzip", c.In, "-o", c.Out, "--json");

        c.AssertOutcome(run, 1);
        run.AssertFailed("sub/y.gz", "sub.gz");
        Assert.Equal("the file sub", File.ReadAllText(Path.Join(c.Out, "sub")));
    }

    internal static string Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }

    internal static byte[] GzipBytes(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
