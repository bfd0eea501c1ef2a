namespace Pipeline.Tests.Hostile;

/// <summary>
/// J. A full disk, made real with a 2 MB tmpfs. The rule: the files that do not fit fail ("disk full"), exit 1; no
/// partial output (every .gz there is complete), no temporary file left, inputs unchanged.
/// </summary>
public sealed class FullDiskTests
{
    private const string Need = "to mount a 2 MB tmpfs";

    [MountFact(Need)]
    public async Task Gzip_IncompressibleFilesLargerThanTheDisk_FailsThemAsDiskFullNoPartialOutput()
    {
        using var c = new HostileCase();
        var random = new Random(7);
        for (var i = 0; i < 6; i++)
        {
            var content = new byte[512 * 1024];
            random.NextBytes(content);
            c.Write($"in/r{i}.bin", content);
        }

        c.Mkdir("disk");
        Assert.True(c.TryMount(c.Sub("disk"), "-t", "tmpfs", "-o", "size=2m", "tmpfs"), "mount -t tmpfs failed");
        var output = c.Sub("disk/out");

        var run = await c.RunAsync("run", "gzip", c.In, "-o", output, "-p", "1", "--json");

        c.AssertOutcome(run, 1, "disk full");
        Assert.NotEmpty(run.Failed);
        Assert.All(run.Failed, f => Assert.Contains("disk full", f.Error, StringComparison.OrdinalIgnoreCase));
        foreach (var gz in HostileCase.FilesUnder(output).Where(f => f.EndsWith(".gz", StringComparison.Ordinal)))
        {
            Assert.True(c.GzipTestPasses(Path.Join(output, gz)), $"{gz} is a partial gzip file");
        }
    }

    [MountFact(Need)]
    public async Task Hash_ManifestCannotBeWritten_Exit1DiskFullNoPartialManifest()
    {
        using var c = new HostileCase();
        for (var i = 0; i < 50; i++)
        {
            c.Write($"in/f{i:D2}.txt", $"file {i}");
        }

        c.Mkdir("disk");
        Assert.True(c.TryMount(c.Sub("disk"), "-t", "tmpfs", "-o", "size=2m", "tmpfs"), "mount -t tmpfs failed");
        c.Mkdir("disk/out");
        c.Sh("dd if=/dev/zero of=disk/filler bs=4k 2>/dev/null || true"); // fill every block: nothing more fits
        var output = c.Sub("disk/out");

        var run = await c.RunAsync("run", "hash", c.In, "-o", output);

        c.AssertOutcome(run, 1, "disk full");
        Assert.False(File.Exists(Path.Join(output, "SHA256SUMS")), "a manifest was written to a full disk");
    }
    [MountFact(Need)]
    public async Task Exec_CommandWritesMoreThanTheDiskHolds_FailsDiskFullAndTheCommandIsKilled()
    {
        using var c = new HostileCase();
        c.Write("in/a.txt", "a");
        c.Mkdir("disk");
        Assert.True(c.TryMount(c.Sub("disk"), "-t", "tmpfs", "-o", "size=2m", "tmpfs"), "mount -t tmpfs failed");
        var output = c.Sub("disk/out");
        var pidFile = c.Sub("yes.pid");

        // `yes` never stops writing: once the disk is full, only being killed ends it (a run that waited for it to exit
        // would never end).
        var run = await c.RunAsync("run", "exec", c.In, "-o", output, "--json", "--shell", $"echo $$ > {pidFile}; exec yes");

        c.AssertOutcome(run, 1, "disk full");
        run.AssertFailed("a.txt", "disk full");
        var pid = File.ReadAllText(pidFile).Trim();
        Assert.False(File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Length > 0, $"the command (pid {pid}) is still running");
        Assert.DoesNotContain(HostileCase.FilesUnder(output), f => f.EndsWith(".pipeline.tmp", StringComparison.Ordinal) || f == "a.txt");
    }
}
