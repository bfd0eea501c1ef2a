using System.IO.Compression;
using Pipeline.IO;
using Pipeline.Tests.Support;
using Pipeline.Unattended;

namespace Pipeline.Tests.Embedding;

public sealed class StreamingExampleTests
{
    [Fact]
    public async Task GunzipUntilBadDataAsync_ThirdFileCorrupt_ReturnsTheTwoBeforeItAndLeavesTheFolderClean()
    {
        using var temp = new TempDir();
        temp.Write("in/a.gz", Gzip("alpha"));
        temp.Write("in/b.gz", Gzip("beta"));
        temp.Write("in/c.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]);
        for (var i = 0; i < 50; i++)
        {
            temp.Write($"in/d{i:D2}.gz", Gzip(new string('d', 10_000 + i)));
        }

        using var log = new StringWriter();

        var written = await StreamingExample.GunzipUntilBadDataAsync(temp.Sub("in"), temp.Sub("out"), log);

        Assert.Equal(["a.gz", "b.gz"], written);
        Assert.StartsWith("stopped at c.gz: ", log.ToString(), StringComparison.Ordinal);
        Assert.Equal("alpha", File.ReadAllText(temp.Sub("out/a")));
        Assert.Empty(Directory.EnumerateFiles(temp.Sub("out"), "*" + AtomicFileWriter.TempSuffix, SearchOption.AllDirectories));
        OutputFolderLock.Acquire(temp.Sub("out")).Dispose(); // free for the next run
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
