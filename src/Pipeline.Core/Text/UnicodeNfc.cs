using System.Text;

namespace Pipeline.Text;

/// <summary>
/// Unicode Normalization Form C (UAX #15) from tables of our own (<see cref="UnicodeVersion"/>), because the library runs
/// with invariant globalization, where <see cref="string.Normalize()"/> leaves text as it is, and because a shard must not
/// depend on the ICU version of the machine it runs on. Decompose canonically, put combining marks in canonical order,
/// compose again. Text below U+0300 is always in NFC and is returned as it is. A lone surrogate is kept as it is.
/// </summary>
/// <remarks>
/// NFC is needed: a shard is chosen by a hash of the relative path, and the same name reaches us composed on one
/// machine and decomposed on another (macOS writes names in NFD); without it a file could be taken by two shards or none.
/// The tables in <c>UnicodeNfc.Data.cs</c> are printed by <c>generate-unicode-nfc.py</c> beside it, from Python's
/// <c>unicodedata</c>: every code point's full canonical decomposition (<c>normalize('NFD', c)</c> where
/// <c>decomposition(c)</c> has no <c>&lt;tag&gt;</c>), <c>combining(c)</c> where not 0, and every pair <c>(a, b)</c> of a
/// two-part canonical decomposition of <c>c</c> for which <c>normalize('NFC', a + b) == c</c>. A test runs the script
/// and checks that the committed file is what it prints.
/// </remarks>
internal static partial class UnicodeNfc
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    /// <summary><paramref name="text"/> in NFC.</summary>
    public static string Normalize(string text)
    {
        if (!text.AsSpan().ContainsAnyExceptInRange('\0', '\u02FF'))
        {
            return text;
        }

        var points = new List<int>(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var point = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                ? char.ConvertToUtf32(c, text[++i])
                : c;
            Decompose(point, points);
        }

        Order(points);
        Compose(points);
        var result = new StringBuilder(points.Count);
        foreach (var point in points)
        {
            if (point >= 0x10000)
            {
                result.Append(char.ConvertFromUtf32(point));
            }
            else
            {
                result.Append((char)point);
            }
        }

        return result.ToString();
    }

    /// <summary><paramref name="text"/> fully decomposed and ordered (NFD), for tests.</summary>
    internal static string Decompose(string text)
    {
        var points = new List<int>();
        foreach (var rune in text.EnumerateRunes())
        {
            Decompose(rune.Value, points);
        }

        Order(points);
        return string.Concat(points.Select(char.ConvertFromUtf32));
    }

    private static int ClassOf(int point) => Tables.Classes.TryGetValue(point, out var ccc) ? ccc : 0;

    private static void Decompose(int point, List<int> into)
    {
        var s = point - SBase;
        if (s is >= 0 and < SCount)
        {
            into.Add(LBase + (s / NCount));
            into.Add(VBase + (s % NCount / TCount));
            if (s % TCount != 0)
            {
                into.Add(TBase + (s % TCount));
            }
        }
        else if (Tables.Decompositions.TryGetValue(point, out var parts))
        {
            into.AddRange(parts);
        }
        else
        {
            into.Add(point);
        }
    }

    /// <summary>Canonical ordering: each run of combining marks sorted by class, stably.</summary>
    private static void Order(List<int> points)
    {
        for (var i = 1; i < points.Count; i++)
        {
            var point = points[i];
            var ccc = ClassOf(point);
            if (ccc == 0)
            {
                continue;
            }

            var j = i;
            while (j > 0 && ClassOf(points[j - 1]) > ccc)
            {
                points[j] = points[j - 1];
                j--;
            }

            points[j] = point;
        }
    }

    /// <summary>Canonical composition: each mark joins the last starter if nothing between them blocks it.</summary>
    private static void Compose(List<int> points)
    {
        if (points.Count < 2)
        {
            return;
        }

        var starterAt = 0;
        var starter = points[0];
        var lastClass = ClassOf(starter) == 0 ? 0 : 256;
        var write = 1;
        for (var read = 1; read < points.Count; read++)
        {
            var point = points[read];
            var ccc = ClassOf(point);
            if ((lastClass < ccc || lastClass == 0) && Composite(starter, point) is { } composite)
            {
                points[starterAt] = starter = composite;
                continue;
            }

            if (ccc == 0)
            {
                starterAt = write;
                starter = point;
            }

            lastClass = ccc;
            points[write++] = point;
        }

        points.RemoveRange(write, points.Count - write);
    }

    private static int? Composite(int first, int second)
    {
        if (first is >= LBase and < LBase + LCount && second is >= VBase and < VBase + VCount)
        {
            return SBase + ((((first - LBase) * VCount) + (second - VBase)) * TCount);
        }

        if (first - SBase is >= 0 and < SCount && (first - SBase) % TCount == 0 && second is > TBase and < TBase + TCount)
        {
            return first + (second - TBase);
        }

        return Tables.Compositions.TryGetValue(((long)first << 21) | (uint)second, out var composite) ? composite : null;
    }

    /// <summary>The tables as lookups, built on first use.</summary>
    private static class Tables
    {
        public static readonly Dictionary<int, int[]> Decompositions = BuildDecompositions();
        public static readonly Dictionary<int, int> Classes = BuildClasses();
        public static readonly Dictionary<long, int> Compositions = BuildCompositions();

        private static Dictionary<int, int[]> BuildDecompositions()
        {
            var data = UnicodeNfc.Decompositions;
            var map = new Dictionary<int, int[]>(2100);
            for (var i = 0; i < data.Length; i += 2 + data[i + 1])
            {
                map[data[i]] = data.Slice(i + 2, data[i + 1]).ToArray();
            }

            return map;
        }

        private static Dictionary<int, int> BuildClasses()
        {
            var data = CombiningClasses;
            var map = new Dictionary<int, int>(1000);
            for (var i = 0; i < data.Length; i += 3)
            {
                for (var point = data[i]; point <= data[i + 1]; point++)
                {
                    map[point] = data[i + 2];
                }
            }

            return map;
        }

        private static Dictionary<long, int> BuildCompositions()
        {
            var data = UnicodeNfc.Compositions;
            var map = new Dictionary<long, int>(1000);
            for (var i = 0; i < data.Length; i += 3)
            {
                map[((long)data[i] << 21) | (uint)data[i + 1]] = data[i + 2];
            }

            return map;
        }
    }
}
