using Pipeline.Hashing;

namespace Pipeline.Verifying;

/// <summary>
/// One line of a coreutils manifest, parsed the way GNU <c>sha256sum -c</c> (coreutils 9) reads it:
/// <c>[\]HEX SP [SP|*]NAME</c> (text or binary mode; a tab works as the first separator; leading blanks skipped) or the
/// tagged form <c>[\]SHA256 (NAME) = HEX</c>; a trailing CR is dropped; <c>#</c> starts a comment; with the leading
/// backslash, the name's <c>\\</c>, <c>\n</c> and <c>\r</c> are unescaped and any other escape makes the line malformed.
/// </summary>
internal static class ManifestLine
{
    public enum Kind
    {
        Entry,
        Comment,
        Malformed,
    }

    // The tags of tagged lines (coreutils' and xxhsum's --tag), longest first, so that SHA256 is tried before SHA1 when a
    // name is matched by its start.
    private static readonly (string Tag, HashAlgorithmKind Algorithm)[] Tags =
    [
        ("SHA256", HashAlgorithmKind.Sha256), ("SHA384", HashAlgorithmKind.Sha384), ("SHA512", HashAlgorithmKind.Sha512),
        ("XXH128", HashAlgorithmKind.Xxh128), ("SHA1", HashAlgorithmKind.Sha1), ("MD5", HashAlgorithmKind.Md5),
    ];

    // What a manifest's name starts with (B3SUMS) or ends with (x.b3): the tags, and b3sum's B3, which has no tagged line.
    private static readonly (string Tag, HashAlgorithmKind Algorithm)[] NameTags = [.. Tags, ("B3", HashAlgorithmKind.Blake3)];

    /// <summary>Hex digits of a digest of <paramref name="algorithm"/>.</summary>
    public static int HexLength(HashAlgorithmKind algorithm) => algorithm switch
    {
        HashAlgorithmKind.Md5 or HashAlgorithmKind.Xxh128 => 32,
        HashAlgorithmKind.Sha1 => 40,
        HashAlgorithmKind.Sha384 => 96,
        HashAlgorithmKind.Sha512 => 128,
        _ => 64,
    };

    /// <summary>
    /// The algorithm taken for digests of <paramref name="hexLength"/> hex digits when nothing else says: the one coreutils
    /// tool that writes them. 64 digits are SHA-256's and BLAKE3's, 32 MD5's and XXH128's: see <see cref="LookAlike"/>.
    /// </summary>
    public static HashAlgorithmKind? FromHexLength(int hexLength) => hexLength switch
    {
        32 => HashAlgorithmKind.Md5,
        40 => HashAlgorithmKind.Sha1,
        64 => HashAlgorithmKind.Sha256,
        96 => HashAlgorithmKind.Sha384,
        128 => HashAlgorithmKind.Sha512,
        _ => null,
    };

    /// <summary>The algorithm that shares <paramref name="algorithm"/>'s digest length, if one does (SHA-256 and BLAKE3, MD5 and XXH128).</summary>
    public static HashAlgorithmKind? LookAlike(HashAlgorithmKind algorithm) => algorithm switch
    {
        HashAlgorithmKind.Sha256 => HashAlgorithmKind.Blake3,
        HashAlgorithmKind.Blake3 => HashAlgorithmKind.Sha256,
        HashAlgorithmKind.Md5 => HashAlgorithmKind.Xxh128,
        HashAlgorithmKind.Xxh128 => HashAlgorithmKind.Md5,
        _ => null,
    };

    /// <summary>The algorithm a manifest's file name says (<c>SHA256SUMS</c>, <c>MD5SUMS</c>, <c>B3SUMS</c>, <c>XXH128SUMS</c>, <c>x.sha512</c>, <c>x.b3</c>, ...), if it says one.</summary>
    public static HashAlgorithmKind? FromFileName(string fileName)
    {
        var name = Path.GetFileName(fileName).ToUpperInvariant();
        foreach (var (tag, algorithm) in NameTags)
        {
            if (name.StartsWith(tag + "SUMS", StringComparison.Ordinal) || name.EndsWith("." + tag, StringComparison.Ordinal))
            {
                return algorithm;
            }
        }

        return null;
    }

    /// <summary>Parses one line (without its LF). A parsed entry's path is unescaped and has any leading <c>./</c> removed.</summary>
    /// <param name="line">The line.</param>
    /// <param name="path">The file's path, for an entry.</param>
    /// <param name="hex">Where in <paramref name="line"/> the digest's hex digits are, for an entry (nothing is copied: a
    /// manifest's first reading only counts and checks its lines).</param>
    /// <param name="tagged">The algorithm a tagged line names, or <see langword="null"/>.</param>
    public static Kind Parse(ReadOnlySpan<char> line, out string path, out Range hex, out HashAlgorithmKind? tagged)
    {
        path = string.Empty;
        hex = default;
        tagged = null;
        var whole = line;
        if (line.EndsWith('\r'))
        {
            line = line[..^1];
        }

        line = line.TrimStart(" \t");
        if (line.StartsWith('#'))
        {
            return Kind.Comment;
        }

        var escaped = line.StartsWith('\\');
        if (escaped)
        {
            line = line[1..];
        }

        ReadOnlySpan<char> name;
        ReadOnlySpan<char> digits;
        if (TryTagged(line, out var tag, out name, out digits))
        {
            tagged = tag;
        }
        else
        {
            var count = 0;
            while (count < line.Length && char.IsAsciiHexDigit(line[count]))
            {
                count++;
            }

            if (count == 0 || count == line.Length || line[count] is not (' ' or '\t'))
            {
                return Kind.Malformed;
            }

            digits = line[..count];
            name = line[(count + 1)..];
            if (name.Length > 0 && name[0] is ' ' or '*')
            {
                name = name[1..];
            }
        }

        if (tagged is { } t ? digits.Length != HexLength(t) : FromHexLength(digits.Length) is null)
        {
            return Kind.Malformed;
        }

        whole.Overlaps(digits, out var start);
        hex = start..(start + digits.Length);

        if (escaped)
        {
            if (Unescape(name) is not { } unescaped)
            {
                return Kind.Malformed;
            }

            path = Normalize(unescaped);
        }
        else
        {
            path = Normalized(name).ToString(); // one string, not one and then its tail
        }

        return path.Length == 0 ? Kind.Malformed : Kind.Entry;
    }

    /// <summary>The bytes of <paramref name="hex"/>, an even number of hex digits already checked to be ones.</summary>
    public static byte[] Digest(ReadOnlySpan<char> hex)
    {
        // Plain, rather than Convert.FromHexString: its vectorised path is compiled at start, which costs more than the
        // few digests a short check decodes.
        var digest = new byte[hex.Length / 2];
        for (var i = 0; i < digest.Length; i++)
        {
            digest[i] = (byte)((Nibble(hex[2 * i]) << 4) | Nibble(hex[(2 * i) + 1]));
        }

        return digest;

        static int Nibble(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }

    /// <summary>Drops leading <c>./</c> (as <c>find . | xargs sha256sum</c> writes), which names the same file.</summary>
    public static string Normalize(string path)
    {
        var normalized = Normalized(path);
        return normalized.Length == path.Length ? path : normalized.ToString();
    }

    /// <inheritdoc cref="Normalize"/>
    private static ReadOnlySpan<char> Normalized(ReadOnlySpan<char> path)
    {
        var start = 0;
        while (path.Length - start > 2 && path[start] == '.' && path[start + 1] == '/')
        {
            start += 2;
            while (start < path.Length - 1 && path[start] == '/')
            {
                start++;
            }
        }

        return path[start..];
    }

    private static bool TryTagged(ReadOnlySpan<char> line, out HashAlgorithmKind algorithm, out ReadOnlySpan<char> name, out ReadOnlySpan<char> hex)
    {
        algorithm = default;
        name = hex = default;
        foreach (var (tag, kind) in Tags)
        {
            if (line.Length > tag.Length + 2 && line.StartsWith(tag, StringComparison.Ordinal) && line[tag.Length] == ' ' && line[tag.Length + 1] == '(')
            {
                var close = line.LastIndexOf(") = ", StringComparison.Ordinal);
                if (close < tag.Length + 2)
                {
                    return false;
                }

                algorithm = kind;
                name = line[(tag.Length + 2)..close];
                hex = line[(close + 4)..];
                foreach (var c in hex)
                {
                    if (!char.IsAsciiHexDigit(c))
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        return false;
    }

    private static string? Unescape(ReadOnlySpan<char> name)
    {
        var text = new System.Text.StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] != '\\')
            {
                text.Append(name[i]);
                continue;
            }

            if (++i == name.Length)
            {
                return null;
            }

            switch (name[i])
            {
                case '\\': text.Append('\\'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                default: return null;
            }
        }

        return text.ToString();
    }
}
