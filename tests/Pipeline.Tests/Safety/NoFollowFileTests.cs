using Pipeline.Safety;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Safety;

/// <summary>The public way to open a file of one's own as the library opens its own: never through a link, never a pipe.</summary>
public sealed class NoFollowFileTests
{
    [LinuxFact]
    public void Open_SymbolicLinkToAFile_RefusedAsNotARegularFileAndTheTargetUntouched()
    {
        using var temp = new TempDir();
        var target = temp.Write("target.txt", "keep");
        var link = temp.Sub("log");
        File.CreateSymbolicLink(link, target);

        var ex = Assert.Throws<UnusablePathException>(() => NoFollowFile.Open(link, FileMode.Append, FileAccess.Write));

        Assert.Equal((UnusablePathKind.NotRegularFile, link, "is a symbolic link, not a regular file"), (ex.Kind, ex.Path, ex.Reason));
        Assert.StartsWith($"{link}: is a symbolic link, not a regular file (", ex.Message, StringComparison.Ordinal);
        Assert.Equal("keep", File.ReadAllText(target));
    }

    [Fact]
    public void Open_Append_CreatesTheFileAndAppends()
    {
        using var temp = new TempDir();
        var path = temp.Sub("log");

        foreach (var line in (string[])["one\n", "two\n"])
        {
            using var sut = NoFollowFile.Open(path, FileMode.Append, FileAccess.Write);
            sut.Write(System.Text.Encoding.UTF8.GetBytes(line));
        }

        Assert.Equal("one\ntwo\n", File.ReadAllText(path));
    }

    [Fact]
    public void Open_BadArguments_Throw()
    {
        using var temp = new TempDir();

        Assert.Throws<ArgumentException>(() => NoFollowFile.Open("", FileMode.Open, FileAccess.Read));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoFollowFile.Open(temp.Sub("x"), FileMode.CreateNew, FileAccess.Write));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoFollowFile.Open(temp.Sub("x"), FileMode.Append, FileAccess.ReadWrite));
        Assert.Throws<FileNotFoundException>(() => NoFollowFile.Open(temp.Sub("missing"), FileMode.Open, FileAccess.Read));
    }
}
