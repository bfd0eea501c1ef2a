using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Pipeline.Hashing;
using Pipeline.Safety;

namespace Pipeline.Verifying;

/// <summary>
/// Reads a manifest as a stream of entries: a coreutils one (<c>SHA256SUMS</c> and friends, plain, binary-mode or
/// tagged lines, escaped names; see <see cref="ManifestLine"/>) or our <c>hashes.csv</c> (<c>path,size,hash</c>).
/// The algorithm is the one asked for, else the one the file name says (<c>B3SUMS</c>), else the one of the first tagged
/// line or of the first valid digest's length (SHA-256 for 64 hex digits, MD5 for 32, as <c>sha256sum</c> and <c>md5sum</c>
/// take them, though BLAKE3's and XXH128's are as long: <see cref="AlgorithmGuessed"/>); lines whose digest has another
/// length, or whose tag names another algorithm, are malformed, as <c>sha256sum -c</c> counts them. Nothing but the
/// current line is held.
/// </summary>
internal sealed class ManifestReader
{
    private const string CsvHeader = "path,size,hash";

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private ManifestReader(string path, bool isCsv, HashAlgorithmKind algorithm, bool guessed)
    {
        FullPath = path;
        IsCsv = isCsv;
        Algorithm = algorithm;
        AlgorithmGuessed = guessed;
    }

    public string FullPath { get; }

    public bool IsCsv { get; }

    public HashAlgorithmKind Algorithm { get; }

    /// <summary>Whether <see cref="Algorithm"/> was taken from a digest length that another algorithm shares (SHA-256 and
    /// BLAKE3, MD5 and XXH128), nothing else saying which.</summary>
    public bool AlgorithmGuessed { get; }

    /// <summary>Malformed lines met by the last complete <see cref="ReadEntries"/>.</summary>
    public long MalformedLines { get; private set; }

    /// <summary>Valid lines met by the last complete <see cref="ReadEntries"/>.</summary>
    public long Entries { get; private set; }

    /// <summary>Whether the valid lines met by the last complete <see cref="ReadEntries"/> came in ordinal path order (as ours always do).</summary>
    public bool Sorted { get; private set; }

    /// <summary>Opens <paramref name="path"/> and decides its format and, unless <paramref name="algorithm"/> says it, its algorithm.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a single properly formatted line; the message names the file.</exception>
    /// <exception cref="IOException">It cannot be read, or is not a regular file.</exception>
    public static ManifestReader Open(string path, HashAlgorithmKind? algorithm = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IOException($"manifest is a folder, not a file: {full}");
        }

        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"manifest not found: {full}", full);
        }

        bool isCsv;
        using (var stream = OpenStream(full))
        {
            var start = new byte[CsvHeader.Length + 2];
            var read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            var head = Encoding.UTF8.GetString(start, 0, read);
            isCsv = head.StartsWith(CsvHeader + "\n", StringComparison.Ordinal) || head.StartsWith(CsvHeader + "\r\n", StringComparison.Ordinal);
        }

        var named = algorithm ?? (isCsv ? null : ManifestLine.FromFileName(full));
        var (found, tagged) = FirstDigestAlgorithm(full, isCsv, named);
        if (found is not { } decided)
        {
            throw new InvalidDataException(named is { } n
                ? $"{full}: no properly formatted {n.ToString().ToUpperInvariant()} checksum lines found ({ManifestLine.HexLength(n)} hex digits{(algorithm is null ? ", as its name says" : string.Empty)})"
                : $"{full}: no properly formatted checksum lines found");
        }

        return new ManifestReader(full, isCsv, decided, guessed: named is null && !tagged && ManifestLine.LookAlike(decided) is not null);
    }

    /// <summary>The valid entries, in file order; counts <see cref="MalformedLines"/> and <see cref="Entries"/> and learns <see cref="Sorted"/> as it goes.</summary>
    /// <param name="digests">Whether to decode each entry's digest; without, <see cref="ManifestEntry.Digest"/> is empty (a reading that only counts).</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public IEnumerable<ManifestEntry> ReadEntries(bool digests = true, CancellationToken cancellationToken = default)
    {
        MalformedLines = 0;
        Entries = 0;
        Sorted = true;
        string? previous = null;
        var hexLength = ManifestLine.HexLength(Algorithm);
        foreach (var (line, path, text, hex, kind, tagged) in IsCsv ? CsvRows(FullPath) : SumsLines(FullPath))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (kind == ManifestLine.Kind.Comment)
            {
                continue;
            }

            if (kind == ManifestLine.Kind.Malformed || hex.GetOffsetAndLength(text.Length).Length != hexLength || (tagged is { } tag && tag != Algorithm))
            {
                MalformedLines++;
                continue;
            }

            Entries++;
            if (Sorted && previous is not null && Sources.PathOrder.Compare(previous, path) > 0)
            {
                Sorted = false;
            }

            previous = path;
            yield return new ManifestEntry(path, digests ? ManifestLine.Digest(text.AsSpan()[hex]) : [], line);
        }
    }

    /// <summary>
    /// The algorithm of the first valid line (<paramref name="named"/>, when a line has its length and no other tag), and
    /// whether a tag said it.
    /// </summary>
    private static (HashAlgorithmKind? Algorithm, bool Tagged) FirstDigestAlgorithm(string path, bool isCsv, HashAlgorithmKind? named)
    {
        foreach (var (_, _, text, hex, kind, tagged) in isCsv ? CsvRows(path) : SumsLines(path))
        {
            if (kind != ManifestLine.Kind.Entry)
            {
                continue;
            }

            var length = hex.GetOffsetAndLength(text.Length).Length;
            if (named is { } n)
            {
                if (length == ManifestLine.HexLength(n) && (tagged is null || tagged == n))
                {
                    return (n, false);
                }
            }
            else if ((tagged ?? ManifestLine.FromHexLength(length)) is { } algorithm)
            {
                return (algorithm, tagged is not null);
            }
        }

        return (null, false);
    }

    /// <summary>Each line: its number, the path, where its digest's hex digits are (<c>Text[Hex]</c>) and the algorithm its tag names.</summary>
    private static IEnumerable<(long Line, string Path, string Text, Range Hex, ManifestLine.Kind Kind, HashAlgorithmKind? Tagged)> SumsLines(string path)
    {
        long number = 0;
        foreach (var line in Lines(path))
        {
            number++;
            var kind = ManifestLine.Parse(line, out var name, out var hex, out var tagged);
            yield return (number, name, line, hex, kind, tagged);
        }
    }

    /// <inheritdoc cref="SumsLines"/>
    private static IEnumerable<(long Line, string Path, string Text, Range Hex, ManifestLine.Kind Kind, HashAlgorithmKind? Tagged)> CsvRows(string path)
    {
        using var reader = new StreamReader(OpenStream(path), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, DetectColumnCountChanges = false });
        var first = true;
        while (parser.Read())
        {
            if (first)
            {
                first = false;
                continue; // the header, checked by Open
            }

            var fields = parser.Record ?? [];
            var ok = fields.Length == 3
                && fields[0].Length > 0
                && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                && fields[2].Length > 0 && !fields[2].AsSpan().ContainsAnyExcept(HexDigits);
            yield return (parser.RawRow, ok ? ManifestLine.Normalize(fields[0]) : string.Empty, ok ? fields[2] : string.Empty, Range.All, ok ? ManifestLine.Kind.Entry : ManifestLine.Kind.Malformed, null);
        }
    }

    /// <summary>Lines split at LF only (a CR may be part of a name written by another tool), decoded as UTF-8.</summary>
    private static IEnumerable<string> Lines(string path)
    {
        using var stream = OpenStream(path);
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                if (length > 0)
                {
                    yield return Encoding.UTF8.GetString(buffer, 0, length);
                }

                yield break;
            }

            length += read;
            var start = 0;
            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', start, length - start)) >= 0)
            {
                yield return Encoding.UTF8.GetString(buffer, start, newline - start);
                start = newline + 1;
            }

            Buffer.BlockCopy(buffer, start, buffer, 0, length - start);
            length -= start;
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2); // a line longer than the buffer
            }
        }
    }

    /// <summary>Only a regular file is opened: a named pipe given as the manifest would block the open forever.</summary>
    private static FileStream OpenStream(string path) => new(RegularFile.OpenRead(path, out _), FileAccess.Read, 64 * 1024);
}
