namespace Pipeline.Sources;

/// <summary>
/// The order of relative paths wherever it is visible (the walk, manifests, reports, the journal, shard parts):
/// ordinal by UTF-8 bytes, as <c>LC_ALL=C sort</c> sorts. That is the order of Unicode code points, which differs
/// from the order of UTF-16 code units (<see cref="string.CompareOrdinal(string, string)"/>) only where a character
/// above U+FFFF (a surrogate pair, D800-DFFF) meets one in U+E000-U+FFFF: UTF-8 puts the former after, UTF-16 before.
/// </summary>
internal sealed class PathOrder : IComparer<string?>
{
    /// <summary>The comparer.</summary>
    public static readonly PathOrder Instance = new();

    /// <summary>
    /// The version of this order, part of what a journal records of a transform whose aggregate outputs are written
    /// in it (see <see cref="Unattended.RunJournal"/>): a journal written under the UTF-16 order redoes those outputs.
    /// </summary>
    public const string Version = "utf8";

    /// <summary>Compares as <c>LC_ALL=C sort</c> compares the paths' UTF-8 bytes; <see langword="null"/> sorts first.</summary>
    public static int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var same = x.AsSpan().CommonPrefixLength(y);
        if (same == x.Length || same == y.Length)
        {
            return x.Length - y.Length;
        }

        int a = x[same], b = y[same];
        if (a >= 0xD800 && b >= 0xD800)
        {
            // Surrogates (D800-DFFF) move above E000-FFFF, which move down: code point order, so UTF-8 byte order.
            a = Fixup(a);
            b = Fixup(b);
        }

        return a - b;
    }

    int IComparer<string?>.Compare(string? x, string? y) => Compare(x, y);

    private static int Fixup(int c) => c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
