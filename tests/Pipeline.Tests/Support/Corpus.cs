namespace Pipeline.Tests.Support;

/// <summary>Seeded generated trees: the same seed always gives the same files.</summary>
public static class Corpus
{
    /// <summary>Writes <paramref name="files"/> files spread over nested folders, sizes from 0 to <paramref name="maxSize"/>.</summary>
    public static IReadOnlyList<string> Generate(string root, int files, int maxSize, int seed = 42)
    {
        var random = new Random(seed);
        var paths = new List<string>();
        for (var i = 0; i < files; i++)
        {
            var depth = random.Next(0, 4);
            var folders = Enumerable.Range(0, depth).Select(_ => "d" + random.Next(0, 5));
            var name = (i % 7) switch
            {
                0 => $"file {i}.txt",
                1 => $"fïlé-{i}.bin",
                _ => $"f{i:D5}.dat",
            };
            var relative = string.Join('/', folders.Append(name));
            var size = i % 11 == 0 ? 0 : random.Next(0, maxSize + 1);
            var content = new byte[size];
            random.NextBytes(content);
            var full = Path.Join(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, content);
            paths.Add(relative);
        }

        return paths;
    }

    public static string TestDataRoot
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Join(dir, "Pipeline.sln")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            return Path.Join(dir ?? throw new DirectoryNotFoundException("Pipeline.sln not found above the test binaries"), "testdata");
        }
    }

    /// <summary>Every file under <paramref name="root"/> as relative path → bytes, for exact comparisons; the run's own <c>.pipeline/</c> state is left out.</summary>
    public static SortedDictionary<string, byte[]> Snapshot(string root)
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (!relative.StartsWith(".pipeline/", StringComparison.Ordinal))
            {
                result[relative] = File.ReadAllBytes(file);
            }
        }

        return result;
    }
}
