using Pipeline.Compression;
using Pipeline.Transforms;

namespace Pipeline.Tests.Transforms;

public sealed class EnginesTests
{
    [Fact]
    public void Describe_NamesTheEngineOfEveryBuiltInTransform()
    {
        var lines = Engines.Describe();

        Assert.Equal(["gzip", "gunzip", "zstd, unzstd", "hash"], lines.Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]));
        Assert.StartsWith("gzip: " + new GzipTransform().Engine, lines[0], StringComparison.Ordinal);
        Assert.Contains(ZstdTransform.Engine, lines[2], StringComparison.Ordinal);
        Assert.All(["sha256", "sha1", "sha384", "sha512", "md5", "blake3", "xxh128"], algorithm => Assert.Contains(algorithm, lines[3], StringComparison.Ordinal));
    }
}
