using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.IO;

/// <summary>The public face of the atomic writer, and the other I/O pieces an embedder shares with the command line.</summary>
public sealed class AtomicFileWriterTests
{
    [Fact]
    public async Task CommitAsync_NewContent_ReplacesTheTargetWhole()
    {
        using var temp = new TempDir();
        var path = temp.Write("out.txt", "old");

        await using (var sut = AtomicFileWriter.Create(path))
        {
            await sut.WriteAsync("new "u8.ToArray());
            sut.Write("content"u8);
            Assert.Equal("old", File.ReadAllText(path));
            await sut.CommitAsync();
        }

        Assert.Equal("new content", File.ReadAllText(path));
        Assert.Equal(["out.txt"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Dispose_WithoutCommit_LeavesTheTargetAndNoTemporaryFile()
    {
        using var temp = new TempDir();
        var path = temp.Write("out.txt", "old");

        using (var sut = AtomicFileWriter.Create(path))
        {
            sut.Write("new"u8);
        }

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [LinuxFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Commit_Permissions_WrittenPrivateThenGivenThemAtCommit()
    {
        using var temp = new TempDir();
        var path = temp.Sub("out.txt");
        const UnixFileMode Wanted = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

        using var sut = AtomicFileWriter.Create(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var pending = Assert.Single(Directory.GetFiles(temp.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pending));
        sut.Permissions = Wanted | UnixFileMode.SetUser; // set-id bits are never given
        sut.Commit();

        Assert.Equal(Wanted, File.GetUnixFileMode(path));
        Assert.Equal(Wanted, sut.Permissions);
    }

    [Fact]
    public void Create_BlankPath_Throws()
    {
        Assert.Throws<ArgumentException>(() => AtomicFileWriter.Create(" "));
    }

    [Fact]
    public void NewPath_OfTempFolder_AFreshNameInTheFolderForTemporaryFiles()
    {
        var sut = TempFolder.NewPath("embedder-");

        Assert.Equal(Path.TrimEndingDirectorySeparator(Path.GetTempPath()), Path.GetDirectoryName(sut));
        Assert.Matches("^embedder-[0-9a-f]{16}$", Path.GetFileName(sut));
        Assert.False(Path.Exists(sut));
        Assert.Throws<ArgumentException>(() => TempFolder.NewPath("a/b"));
    }

    [Fact]
    public void KindOf_OfFileErrors_ReadsTheExceptionNotItsText()
    {
        Assert.Equal(FileErrorKind.PermissionDenied, FileErrors.KindOf(new UnauthorizedAccessException("No space left on device")));
        Assert.Equal(FileErrorKind.DiskFull, FileErrors.KindOf(new IOException("anything", 28)));
        Assert.Throws<ArgumentNullException>(() => FileErrors.KindOf(null!));
    }
}
