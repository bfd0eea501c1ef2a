namespace Pipeline.Verifying;

/// <summary>
/// One side of the join: a manifest entry (<see cref="Digest"/> expected, <see cref="Order"/> its line) or a file the
/// walk found (<see cref="Digest"/> computed, or <see cref="Error"/>; <see cref="Bytes"/> read).
/// </summary>
internal sealed record JoinRecord(string Path, byte[]? Digest, string? Error, long Bytes, long Order) : IO.ISortableRecord<JoinRecord>
{
    /// <summary>Ordinal by path (the order of every manifest we write and of the walk), then by <see cref="Order"/>.</summary>
    public static readonly Comparer<JoinRecord> Ordinal = Comparer<JoinRecord>.Create((x, y) =>
    {
        var c = Sources.PathOrder.Compare(x.Path, y.Path);
        return c != 0 ? c : x.Order.CompareTo(y.Order);
    });

    static IComparer<JoinRecord> IO.ISortableRecord<JoinRecord>.Order => Ordinal;

    public void Write(BinaryWriter writer)
    {
        writer.Write(Path);
        writer.Write(Digest?.Length ?? -1);
        if (Digest is not null)
        {
            writer.Write(Digest);
        }

        writer.Write(Error is not null);
        if (Error is not null)
        {
            writer.Write(Error);
        }

        writer.Write(Bytes);
        writer.Write(Order);
    }

    public static JoinRecord Read(BinaryReader reader)
    {
        var path = reader.ReadString();
        var length = reader.ReadInt32();
        var digest = length < 0 ? null : reader.ReadBytes(length);
        var error = reader.ReadBoolean() ? reader.ReadString() : null;
        return new JoinRecord(path, digest, error, reader.ReadInt64(), reader.ReadInt64());
    }
}
