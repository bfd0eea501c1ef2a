namespace Pipeline.IO;

/// <summary>
/// A bounded external sort: records are sorted in memory up to <c>runLength</c> at a time; beyond that each sorted
/// run is spilled to a file in <c>spillFolder</c> and the runs are merged as they are read back. Memory is one run
/// plus one record per spilled run, whatever the number of records; the spill files are removed by <see cref="Dispose"/>.
/// </summary>
/// <typeparam name="T">The record: its order, and how it is written to a run and read back.</typeparam>
internal sealed class RecordSorter<T>(string spillFolder, int runLength = RecordSorter.DefaultRunLength) : IDisposable
    where T : class, ISortableRecord<T>
{
    private readonly List<string> _runs = [];
    private List<T> _buffer = [];
    private T? _last;

    /// <summary>Whether the records came in sorted order (nothing to sort; true until one comes out of order).</summary>
    public bool CameSorted { get; private set; } = true;

    /// <summary>Runs spilled to disk so far.</summary>
    public int SpilledRuns => _runs.Count;

    public void Add(T record)
    {
        if (_last is not null && T.Order.Compare(_last, record) > 0)
        {
            CameSorted = false;
        }

        _last = record;
        _buffer.Add(record);
        if (_buffer.Count >= runLength)
        {
            Spill();
        }
    }

    /// <summary>Every record added, in <see cref="ISortableRecord{T}.Order"/> order. Call once, after the last <see cref="Add"/>.</summary>
    public IEnumerable<T> Sorted()
    {
        if (_runs.Count == 0)
        {
            if (!CameSorted)
            {
                _buffer.Sort(T.Order);
            }

            var buffer = _buffer;
            _buffer = [];
            return buffer;
        }

        if (_buffer.Count > 0)
        {
            Spill();
        }

        return Merge();
    }

    public void Dispose()
    {
        foreach (var run in _runs)
        {
            try
            {
                File.Delete(run);
            }
            catch (IOException)
            {
                // Left in the spill folder, which its owner removes as a whole.
            }
        }

        _runs.Clear();
    }

    private void Spill()
    {
        _buffer.Sort(T.Order);
        Directory.CreateDirectory(spillFolder);
        var path = Path.Join(spillFolder, $"run-{_runs.Count:D6}.bin");
        using (var writer = new BinaryWriter(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024)))
        {
            writer.Write(_buffer.Count);
            foreach (var record in _buffer)
            {
                record.Write(writer);
            }
        }

        _runs.Add(path);
        _buffer = [];

        // The run just spilled lived long enough to reach the oldest generation, where the GC lets garbage pile up
        // to many runs' worth before it collects on its own (measured: compacting a 500,000-line journal took a
        // process from 78 to 201 MB). One full collection a spilled run keeps the peak at about one run.
        GC.Collect();
    }

    private IEnumerable<T> Merge()
    {
        var readers = new List<BinaryReader>();
        try
        {
            var queue = new PriorityQueue<(BinaryReader Reader, int Left), T>(T.Order);
            foreach (var run in _runs)
            {
                var reader = new BinaryReader(new FileStream(run, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024));
                readers.Add(reader);
                var count = reader.ReadInt32();
                if (count > 0)
                {
                    queue.Enqueue((reader, count - 1), T.Read(reader));
                }
            }

            while (queue.TryDequeue(out var source, out var record))
            {
                if (source.Left > 0)
                {
                    queue.Enqueue((source.Reader, source.Left - 1), T.Read(source.Reader));
                }

                yield return record;
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }
    }
}

/// <summary>The defaults of <see cref="RecordSorter{T}"/>.</summary>
internal static class RecordSorter
{
    /// <summary>Records sorted in memory before a run is spilled: 100,000 (about 20 MB of short paths).</summary>
    public const int DefaultRunLength = 100_000;
}

/// <summary>A record <see cref="RecordSorter{T}"/> can sort: its order, and its form in a spilled run.</summary>
/// <typeparam name="T">The record itself.</typeparam>
internal interface ISortableRecord<T>
{
    /// <summary>The order records are sorted in; records it calls equal come out in no particular order.</summary>
    static abstract IComparer<T> Order { get; }

    /// <summary>Reads a record <see cref="Write"/> wrote.</summary>
    static abstract T Read(BinaryReader reader);

    /// <summary>Writes the record to a spilled run.</summary>
    void Write(BinaryWriter writer);
}
