using Pipeline.Running;
using Pipeline.Safety;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Safety;

/// <summary>
/// Files opened relative to their folder's kept handle read what the whole path names, from many threads at once,
/// across more folders than are kept open, and fail with the same errors.
/// </summary>
public sealed class FolderHandlesTests
{
    [Fact]
    public async Task OpenRead_ManyFoldersFromManyThreads_EachFileReadsItsOwnContent()
    {
        using var temp = new TempDir();
        var paths = new List<string>();
        for (var folder = 0; folder < 12; folder++)
        {
            for (var file = 0; file < 5; file++)
            {
                paths.Add(temp.Write($"d{folder:D2}/f{file}.txt", $"folder {folder} file {file}"));
            }
        }

        using var sut = new FolderHandles();
        var wrong = new System.Collections.Concurrent.ConcurrentBag<string>();

        // Four threads, each walking the folders in its own order, so folders are opened, kept, dropped and reopened.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var round = 0; round < 20; round++)
            {
                foreach (var path in t % 2 == 0 ? paths : Enumerable.Reverse(paths))
                {
                    using var handle = sut.OpenRead(path, out var length);
                    var buffer = new byte[length];
                    var read = RandomAccess.Read(handle, buffer, 0);
                    if (System.Text.Encoding.UTF8.GetString(buffer, 0, read) != File.ReadAllText(path))
                    {
                        wrong.Add(path);
                    }
                }
            }
        })));

        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData("d/missing.txt")]
    [InlineData("no-such-folder/x.txt")]
    public void OpenRead_Missing_FailsAsTheWholePathDoes(string relative)
    {
        using var temp = new TempDir();
        temp.Write("d/present.txt", "x");
        using var sut = new FolderHandles();
        using (sut.OpenRead(temp.Sub("d/present.txt"), out _))
        {
        }

        var expected = Record.Exception(() => RegularFile.OpenRead(temp.Sub(relative), out _));
        var actual = Record.Exception(() => sut.OpenRead(temp.Sub(relative), out _));

        Assert.NotNull(expected);
        Assert.Equal(expected.GetType(), actual?.GetType());
        Assert.Equal(expected.Message, actual!.Message);
    }

    [Fact]
    public void OpenRead_AFolderInsteadOfAFile_IsRefusedAsNotRegular()
    {
        using var temp = new TempDir();
        temp.Write("d/sub/x.txt", "x");
        using var sut = new FolderHandles();

        Assert.Throws<NotRegularFileException>(() => sut.OpenRead(temp.Sub("d/sub"), out _));
    }

    [Fact]
    public void OpenRead_AfterDispose_StillOpensByTheWholePath()
    {
        using var temp = new TempDir();
        var path = temp.Write("d/x.txt", "after");
        var sut = new FolderHandles();
        using (sut.OpenRead(path, out _))
        {
        }

        sut.Dispose();
        using var handle = sut.OpenRead(path, out var length);

        Assert.Equal(5, length);
    }
}
