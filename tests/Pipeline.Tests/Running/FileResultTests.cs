using Pipeline.Running;

namespace Pipeline.Tests.Running;

/// <summary>A result made by hand (an embedder's own runner, a test) still says what kind it is.</summary>
public sealed class FileResultTests
{
    [Theory]
    [InlineData(FileStatus.Succeeded, FileErrorKind.None)]
    [InlineData(FileStatus.Skipped, FileErrorKind.None)]
    [InlineData(FileStatus.Cancelled, FileErrorKind.Cancelled)]
    [InlineData(FileStatus.Failed, FileErrorKind.Other)]
    public void Constructor_EachStatus_HasTheKindAFailureOfUnknownCauseHas(FileStatus status, FileErrorKind kind)
    {
        var result = new FileResult("a.txt", status, 1, 1, TimeSpan.Zero, status == FileStatus.Failed ? "broke" : null);

        Assert.Equal(kind, result.ErrorKind);
        Assert.Null(result.Exception);
    }
}
