using Pipeline.Tests.Support;

namespace Pipeline.Tests.Hostile;

/// <summary>
/// B. Entries that are not regular files. The rule: nothing but a regular file is ever opened for reading, so a FIFO
/// cannot block the run and a device cannot feed it forever; each such entry is a failed file ("not a regular file"),
/// the others are processed, exit 1.
/// </summary>
public sealed class SpecialFileTests
{
    public static TheoryData<string, string> SpecialEntries => new()
    {
        { "link to a FIFO", "hash" },
        { "link to /dev/zero", "hash" },
        { "link to /dev/null", "hash" },
        { "link to /dev/urandom", "gzip" },
        { "link to a socket", "hash" },
        { "FIFO in the tree", "hash" },
        { "FIFO in the tree", "gzip" },
        { "FIFO in the tree", "csv" },
        { "FIFO in the tree", "gunzip" },
        { "FIFO in the tree, with --follow-symlinks", "hash" },
        { "socket in the tree", "hash" },
    };

    [LinuxTheory]
    [MemberData(nameof(SpecialEntries))]
    public async Task Run_SpecialEntry_FailsThatEntryAsNotARegularFileAndEnds(string entry, string transform)
    {
        using var c = new HostileCase();
        var suffix = transform switch { "gunzip" => ".gz", "csv" => ".csv", _ => string.Empty };
        var special = "special" + suffix;
        if (transform == "gunzip")
        {
            c.Write("in/good.gz", Gzip("good"));
        }
        else
        {
            c.Write("in/good" + suffix, "id,v\n1,good\n");
        }

        var follow = true;
        switch (entry)
        {
            case "link to a FIFO":
                c.Fifo("fifo");
                c.Symlink("in/" + special, c.Sub("fifo"));
                break;
            case "link to a socket":
                c.UnixSocket("sock");
                c.Symlink("in/" + special, c.Sub("sock"));
                break;
            case "link to /dev/zero" or "link to /dev/null" or "link to /dev/urandom":
                c.Symlink("in/" + special, entry["link to ".Length..]);
                break;
            case "FIFO in the tree":
                c.Fifo("in/" + special);
                follow = false;
                break;
            case "FIFO in the tree, with --follow-symlinks":
                c.Fifo("in/" + special);
                break;
            case "socket in the tree":
                c.UnixSocket("in/" + special);
                follow = false;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(entry), entry, null);
        }

        string[] args = ["run", transform, c.In, "-o", c.Out, "--json", .. follow ? (string[])["--follow-symlinks"] : []];
        var run = await c.RunAsync(args);

        c.AssertOutcome(run, 1, "not a regular file");
        run.AssertFailed(special, "not a regular file");
        Assert.Single(run.Failed);
        Assert.Equal(1, run.Count("files_ok"));
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
