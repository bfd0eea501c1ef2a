namespace Pipeline.Compression;

/// <summary>
/// Walks the blocks of a raw deflate stream (RFC 1951) without writing what they decode to, to find where its final
/// block starts and where it ends, to the bit. Every code is decoded (a block's end is only known by decoding it), by
/// one table lookup per code.
/// </summary>
internal static class DeflateBlocks
{
    private const int EndOfBlock = 256;
    private static readonly byte[] LengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0, 0, 0];
    private static readonly byte[] DistanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 0, 0];
    private static readonly byte[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    // Each thread's lookup tables, reused from stream to stream (64 KiB each).
    [ThreadStatic]
    private static ushort[]? t_literals;
    [ThreadStatic]
    private static ushort[]? t_distances;
    [ThreadStatic]
    private static ushort[]? t_codeLengths;

    /// <summary>The bit (from the stream's first, least significant first) where the final block's header starts, and the bit just after its end.</summary>
    /// <exception cref="InvalidDataException">The stream is not valid deflate, or ends before its final block does.</exception>
    public static (long FinalHeader, long End) FindLast(ReadOnlySpan<byte> stream)
    {
        var bits = new BitReader(stream);
        Span<byte> lengths = stackalloc byte[288 + 32];
        Span<byte> codeLengthLengths = stackalloc byte[19];
        var literals = t_literals ??= new ushort[1 << 15];
        var distances = t_distances ??= new ushort[1 << 15];
        var codeLengths = t_codeLengths ??= new ushort[1 << 7];
        while (true)
        {
            var header = bits.Position;
            var final = bits.Take(1) == 1;
            switch (bits.Take(2))
            {
                case 0:
                    bits.AlignToByte();
                    var length = (int)bits.Take(16);
                    if ((ulong)(length ^ 0xFFFF) != bits.Take(16))
                    {
                        throw new InvalidDataException("a stored block's length does not match its complement");
                    }

                    bits.Skip(length * 8L);
                    break;
                case 1:
                    lengths[..144].Fill(8);
                    lengths[144..256].Fill(9);
                    lengths[256..280].Fill(7);
                    lengths[280..288].Fill(8);
                    lengths[288..320].Fill(5);
                    SkipCodes(ref bits, Table.Build(lengths[..288], literals), Table.Build(lengths[288..320], distances), literals, distances);
                    break;
                case 2:
                    var literalCount = (int)bits.Take(5) + 257;
                    var distanceCount = (int)bits.Take(5) + 1;
                    var codeLengthCount = (int)bits.Take(4) + 4;
                    codeLengthLengths.Clear();
                    for (var i = 0; i < codeLengthCount; i++)
                    {
                        codeLengthLengths[CodeLengthOrder[i]] = (byte)bits.Take(3);
                    }

                    var codeLengthBits = Table.Build(codeLengthLengths, codeLengths);
                    var all = lengths[..(literalCount + distanceCount)];
                    for (var i = 0; i < all.Length;)
                    {
                        var symbol = Table.Decode(ref bits, codeLengths, codeLengthBits);
                        var (repeat, value) = symbol switch
                        {
                            < 16 => (1, symbol),
                            16 when i > 0 => (3 + (int)bits.Take(2), all[i - 1]),
                            17 => (3 + (int)bits.Take(3), 0),
                            18 => (11 + (int)bits.Take(7), 0),
                            _ => throw new InvalidDataException("a code length repeats nothing"),
                        };
                        if (i + repeat > all.Length)
                        {
                            throw new InvalidDataException("code lengths run past their count");
                        }

                        all.Slice(i, repeat).Fill((byte)value);
                        i += repeat;
                    }

                    SkipCodes(ref bits, Table.Build(all[..literalCount], literals), Table.Build(all[literalCount..], distances), literals, distances);
                    break;
                default:
                    throw new InvalidDataException("a block of the reserved type 3");
            }

            if (final)
            {
                return (header, bits.Position);
            }
        }
    }

    /// <summary>Decodes a block's codes up to its end-of-block code, skipping the extra bits of lengths and distances.</summary>
    private static void SkipCodes(ref BitReader bits, int literalBits, int distanceBits, ushort[] literals, ushort[] distances)
    {
        while (true)
        {
            var symbol = Table.Decode(ref bits, literals, literalBits);
            if (symbol < EndOfBlock)
            {
                continue;
            }

            if (symbol == EndOfBlock)
            {
                return;
            }

            if (symbol > 285)
            {
                throw new InvalidDataException("a length code out of range");
            }

            bits.Skip(LengthExtra[symbol - 257]);
            var distance = Table.Decode(ref bits, distances, distanceBits);
            if (distance > 29)
            {
                throw new InvalidDataException("a distance code out of range");
            }

            bits.Skip(DistanceExtra[distance]);
        }
    }

    /// <summary>Canonical Huffman codes as one lookup table indexed by the next bits: each entry holds a symbol and its code's length.</summary>
    private static class Table
    {
        /// <summary>Fills <paramref name="table"/> for the code <paramref name="lengths"/> describe; returns how many bits a lookup takes (the longest code's).</summary>
        public static int Build(ReadOnlySpan<byte> lengths, ushort[] table)
        {
            Span<int> count = stackalloc int[16];
            Span<int> next = stackalloc int[16];
            var longest = 0;
            foreach (var length in lengths)
            {
                count[length]++;
                longest = Math.Max(longest, length);
            }

            if (longest == 0)
            {
                return 0; // no codes (a block with no distances): any lookup is an error
            }

            count[0] = 0;
            var code = 0;
            for (var bits = 1; bits <= 15; bits++)
            {
                code = (code + count[bits - 1]) << 1;
                next[bits] = code;
            }

            var size = 1 << longest;
            table.AsSpan(0, size).Clear();
            for (var symbol = 0; symbol < lengths.Length; symbol++)
            {
                int length = lengths[symbol];
                if (length == 0)
                {
                    continue;
                }

                if (next[length] >= 1 << length)
                {
                    throw new InvalidDataException("an over-subscribed code");
                }

                var reversed = Reverse(next[length]++, length);
                for (var fill = reversed; fill < size; fill += 1 << length)
                {
                    table[fill] = (ushort)((length << 9) | symbol);
                }
            }

            return longest;
        }

        public static int Decode(ref BitReader bits, ushort[] table, int lookupBits)
        {
            var entry = lookupBits == 0 ? 0 : table[(int)bits.Peek(lookupBits)];
            var length = entry >> 9;
            if (length == 0)
            {
                throw new InvalidDataException("a code that is not in the block's table");
            }

            bits.Skip(length);
            return entry & 0x1FF;
        }

        private static int Reverse(int code, int length)
        {
            var reversed = 0;
            for (var i = 0; i < length; i++)
            {
                reversed = (reversed << 1) | ((code >> i) & 1);
            }

            return reversed;
        }
    }

    /// <summary>Bits least significant first, as deflate packs them; reading past the end fails.</summary>
    private ref struct BitReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public long Position { get; private set; }

        public ulong Peek(int count)
        {
            // Up to 8 bytes from the byte holding the next bit; past the end reads as zeros (a code's unused tail).
            var index = (int)(Position >> 3);
            ulong window = 0;
            var available = Math.Min(8, _data.Length - index);
            if (available == 8)
            {
                window = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(_data[index..]);
            }
            else
            {
                for (var i = 0; i < available; i++)
                {
                    window |= (ulong)_data[index + i] << (8 * i);
                }
            }

            return (window >> (int)(Position & 7)) & ((1UL << count) - 1);
        }

        public ulong Take(int count)
        {
            var value = Peek(count);
            Skip(count);
            return value;
        }

        public void Skip(long count)
        {
            Position += count;
            if (Position > _data.Length * 8L)
            {
                throw new InvalidDataException("the deflate stream ends inside a block");
            }
        }

        public void AlignToByte() => Position = (Position + 7) & ~7L;
    }
}
