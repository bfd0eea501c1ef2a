using System.Globalization;
using System.Text;
using Pipeline.Cli.Comparing;

namespace Pipeline.Cli.Benchmarking;

/// <summary>
/// Writes seeded synthetic corpora: the same seed and sizes always give the same bytes, so a benchmark run can be
/// repeated and its outputs compared across tools and machines.
/// </summary>
internal static class SyntheticCorpus
{
    private static readonly string[] Words =
    [
        "pipeline", "dataflow", "buffer", "stream", "record", "value", "error", "request", "response", "latency",
        "server", "client", "queue", "thread", "memory", "disk", "network", "timeout", "retry", "success",
        "user", "session", "cache", "index", "table", "column", "batch", "block", "chunk", "file",
    ];

    private static readonly string[] Cities = ["Paris", "Berlin", "Zürich", "Kyōto", "São Paulo", "Oslo", "Lyon", "New York", "Москва", "Lagos"];

    private static readonly string[] Names = ["Alice", "Bob \"Bobby\" Jones", "Chloé", "Dmitri", "Eve, Jr.", "Ünal", "O'Brien", "Zoë"];

    /// <summary>Writes <paramref name="files"/> random files of <paramref name="minSize"/> to <paramref name="maxSize"/> bytes, spread over <paramref name="folders"/> folders.</summary>
    /// <returns>Bytes written.</returns>
    public static long WriteSmallFiles(string root, int files, int minSize, int maxSize, int folders, int seed, bool text = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(files);
        ArgumentOutOfRangeException.ThrowIfLessThan(folders, 1);
        var random = new Random(seed);
        var buffer = new byte[maxSize];
        long total = 0;
        for (var i = 0; i < files; i++)
        {
            var size = random.Next(minSize, maxSize + 1);
            var content = buffer.AsSpan(0, size);
            if (text)
            {
                FillText(content, random);
            }
            else
            {
                random.NextBytes(content);
            }

            var folder = Path.Join(root, $"d{i % folders:D3}");
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Join(folder, $"f{i:D6}.{(text ? "txt" : "bin")}"), content.ToArray());
            total += size;
        }

        return total;
    }

    /// <summary>Writes <paramref name="files"/> files of <paramref name="size"/> bytes each, random or text.</summary>
    /// <returns>Bytes written.</returns>
    public static long WriteLargeFiles(string root, int files, long size, int seed, bool text)
    {
        Directory.CreateDirectory(root);
        var random = new Random(seed);
        var buffer = new byte[1 << 20];
        for (var i = 0; i < files; i++)
        {
            using var stream = new FileStream(Path.Join(root, $"large{i:D2}.{(text ? "txt" : "bin")}"), FileMode.Create, FileAccess.Write, FileShare.None, 0);
            for (long written = 0; written < size; written += buffer.Length)
            {
                var part = buffer.AsSpan(0, (int)Math.Min(buffer.Length, size - written));
                if (text)
                {
                    FillText(part, random);
                }
                else
                {
                    random.NextBytes(part);
                }

                stream.Write(part);
            }
        }

        return files * size;
    }

    /// <summary>Writes <paramref name="files"/> CSV files of <paramref name="rows"/> rows; about one row in <paramref name="badEvery"/> is malformed (0: none).</summary>
    /// <returns>Bytes written.</returns>
    public static long WriteCsvFiles(string root, int files, int rows, int seed, int badEvery = 5000)
    {
        Directory.CreateDirectory(root);
        var random = new Random(seed);
        long total = 0;
        var text = new StringBuilder();
        for (var f = 0; f < files; f++)
        {
            text.Clear().Append("id,timestamp,name,city,amount,quantity,category,note\n");
            for (var r = 0; r < rows; r++)
            {
                var id = ((long)f * rows) + r + 1;
                text.Append(id.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append("2026-").Append((1 + (r % 12)).ToString("D2", CultureInfo.InvariantCulture)).Append('-')
                    .Append((1 + (r % 28)).ToString("D2", CultureInfo.InvariantCulture)).Append("T12:00:00Z,")
                    .Append(Quote(Names[random.Next(Names.Length)])).Append(',')
                    .Append(Cities[random.Next(Cities.Length)]).Append(',')
                    .Append((random.Next(0, 100_000) / 100.0).ToString("0.00", CultureInfo.InvariantCulture)).Append(',')
                    .Append(random.Next(1, 20).ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append("cat").Append(random.Next(8).ToString(CultureInfo.InvariantCulture));
                if (badEvery > 0 && random.Next(badEvery) == 0)
                {
                    // A row one field short: malformed, as real exports sometimes are.
                    text.Append('\n');
                    continue;
                }

                text.Append(',').Append(random.Next(5) == 0 ? "\"note, with comma\"" : string.Empty).Append('\n');
            }

            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            File.WriteAllBytes(Path.Join(root, $"data{f:D3}.csv"), bytes);
            total += bytes.Length;
        }

        return total;
    }

    /// <summary>Files in each folder of the many-small corpora.</summary>
    public const int ManySmallPerFolder = 500;

    /// <summary>Folders in each top-level folder of the many-small corpora.</summary>
    private const int ManySmallFoldersPerGroup = 50;

    /// <summary>
    /// Writes <paramref name="files"/> tiny files, <see cref="ManySmallPerFolder"/> a folder, folders in groups of 50
    /// (<c>g00/d00/f0000000.bin</c>): one random byte each, or with <paramref name="csv"/> a CSV of a header and one to
    /// three rows, one file in four with a row one field short. The bytes of each folder come from the seed and the
    /// folder's number alone, so folders are written two at a time and the corpus is the same every time.
    /// </summary>
    /// <returns>Bytes written.</returns>
    public static long WriteManySmallFiles(string root, int files, int seed, bool csv)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(files);
        var folders = (files + ManySmallPerFolder - 1) / ManySmallPerFolder;
        long total = 0;
        Parallel.For(0, folders, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(2, Environment.ProcessorCount) }, folder =>
        {
            var random = new Random(unchecked((seed * 1_000_003) + folder)); // not HashCode.Combine: it differs from process to process
            var path = Path.Join(root, $"g{folder / ManySmallFoldersPerGroup:D2}", $"d{folder % ManySmallFoldersPerGroup:D2}");
            Directory.CreateDirectory(path);
            var content = new byte[256];
            long written = 0;
            for (var i = folder * ManySmallPerFolder; i < Math.Min(files, (folder + 1) * ManySmallPerFolder); i++)
            {
                var length = csv ? TinyCsv(content, i, random) : 1;
                if (!csv)
                {
                    content[0] = (byte)random.Next(256);
                }

                TinyFile.Write(Path.Join(path, $"f{i:D7}.{(csv ? "csv" : "bin")}"), content, length);

                written += length;
            }

            Interlocked.Add(ref total, written);
        });
        return total;
    }

    /// <summary>Writes one of the suite's corpora at its standard size, times <paramref name="scale"/>.</summary>
    /// <returns>Bytes written.</returns>
    public static long Write(CorpusKind kind, string root, double scale = 1.0, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        int Count(int n) => Math.Max(1, (int)Math.Round(n * scale));
        var bytes = kind switch
        {
            CorpusKind.HashSmall => WriteSmallFiles(root, Count(20_000), 1024, 8 * 1024, 100, seed),
            CorpusKind.HashLarge => WriteLargeFiles(root, 4, (long)Math.Max(1 << 20, 256L * 1024 * 1024 * scale), seed, text: false),
            CorpusKind.GzipLargeText => WriteLargeFiles(root, 2, (long)Math.Max(1 << 20, 256L * 1024 * 1024 * scale), seed, text: true),
            CorpusKind.GzipOneLarge => WriteLargeFiles(root, 1, (long)Math.Max(1 << 20, 512L * 1024 * 1024 * scale), seed, text: true),
            CorpusKind.GzipSmall => WriteSmallFiles(root, Count(20_000), 1024, 8 * 1024, 100, seed, text: true),
            CorpusKind.ManySmall => WriteManySmallFiles(root, Count(1_000_000), seed, csv: false),
            CorpusKind.ManySmallCsv => WriteManySmallFiles(root, Count(1_000_000), seed, csv: true),
            _ => WriteCsvFiles(root, Count(100), 20_000, seed),
        };

        // Let the writeback land now, not inside the first timed run.
        ProcessResources.Flush();
        return bytes;
    }

    /// <summary>Words and numbers in lines, like a log: compresses about as well as real text.</summary>
    private static void FillText(Span<byte> target, Random random)
    {
        var i = 0;
        while (i < target.Length)
        {
            var word = random.Next(8) == 0 ? random.Next(100_000).ToString(CultureInfo.InvariantCulture) : Words[random.Next(Words.Length)];
            foreach (var c in word)
            {
                if (i == target.Length)
                {
                    return;
                }

                target[i++] = (byte)c;
            }

            if (i < target.Length)
            {
                target[i++] = random.Next(12) == 0 ? (byte)'\n' : (byte)' ';
            }
        }
    }

    /// <summary>A CSV of a header and one to three rows into <paramref name="target"/>; one in four has a row one field short.</summary>
    /// <returns>Its length.</returns>
    private static int TinyCsv(Span<byte> target, int file, Random random)
    {
        var text = new StringBuilder("id,city,amount\n");
        var rows = random.Next(1, 4);
        var bad = random.Next(4) == 0 ? random.Next(rows) : -1;
        for (var r = 0; r < rows; r++)
        {
            text.Append(((long)file * 4) + r).Append(',');
            if (r == bad)
            {
                text.Append(Cities[random.Next(Cities.Length)]).Append('\n'); // the amount is missing
                continue;
            }

            text.Append(Quote(Cities[random.Next(Cities.Length)])).Append(',')
                .Append((random.Next(0, 100_000) / 100.0).ToString("0.00", CultureInfo.InvariantCulture)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString(), target);
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
