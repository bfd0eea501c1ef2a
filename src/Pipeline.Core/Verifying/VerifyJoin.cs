namespace Pipeline.Verifying;

/// <summary>
/// The merge of the manifest's entries with the files found, both in ordinal path order, into verdicts. The entries
/// are pulled as the files are pushed (<see cref="Add"/>), so a check streams: matched paths are decided as they are
/// met (OK, FAILED, UNREADABLE); the changes (listed but not found, found but not listed) are kept until
/// <see cref="Complete"/>, because a new file whose digest is a missing entry's is that entry MOVED. Only the changes
/// are held, so memory follows the number of changes, not the size of the tree or of the manifest.
/// </summary>
internal sealed class VerifyJoin : IDisposable
{
    private readonly IEnumerator<JoinRecord> _manifest;
    private readonly Action<VerifyResult> _verdict;
    private readonly List<JoinRecord> _missing = [];
    private readonly List<JoinRecord> _added = [];
    private bool _hasEntry;
    private string? _lastFile;

    /// <param name="manifest">The entries, in <see cref="JoinRecord.Ordinal"/> order; read as far as the files pushed need.</param>
    /// <param name="verdict">Told each verdict: matched ones as they are decided, the changes at <see cref="Complete"/>.</param>
    public VerifyJoin(IEnumerable<JoinRecord> manifest, Action<VerifyResult> verdict)
    {
        _manifest = manifest.GetEnumerator();
        _verdict = verdict;
        _hasEntry = _manifest.MoveNext();
    }

    /// <summary>Joins the two sides at once (both in <see cref="JoinRecord.Ordinal"/> order) and returns every verdict, in the order they are given.</summary>
    public static List<VerifyResult> Join(IEnumerable<JoinRecord> manifest, IEnumerable<JoinRecord> files)
    {
        var verdicts = new List<VerifyResult>();
        using var join = new VerifyJoin(manifest, verdicts.Add);
        foreach (var file in files)
        {
            join.Add(file.Path, file.Digest, file.Error, file.Bytes);
        }

        join.Complete();
        return verdicts;
    }

    /// <summary>Takes the next file found, in ordinal path order: its digest, or why it could not be read.</summary>
    /// <exception cref="InvalidOperationException">A file out of ordinal order.</exception>
    public void Add(string path, byte[]? digest, string? error, long bytes)
    {
        if (_lastFile is not null && Sources.PathOrder.Compare(_lastFile, path) >= 0)
        {
            throw new InvalidOperationException($"files must come in ordinal path order: {path} after {_lastFile}");
        }

        _lastFile = path;
        while (_hasEntry && Sources.PathOrder.Compare(_manifest.Current.Path, path) < 0)
        {
            _missing.Add(_manifest.Current);
            _hasEntry = _manifest.MoveNext();
        }

        // A manifest may list one path twice: each line is checked against the one file.
        var matched = false;
        while (_hasEntry && string.Equals(_manifest.Current.Path, path, StringComparison.Ordinal))
        {
            var entry = _manifest.Current;
            _verdict(digest is null
                ? new VerifyResult(path, VerifyStatus.Unreadable, entry.Digest, null, 0, error)
                : new VerifyResult(path, digest.AsSpan().SequenceEqual(entry.Digest) ? VerifyStatus.Ok : VerifyStatus.Failed, entry.Digest, digest, bytes));
            matched = true;
            _hasEntry = _manifest.MoveNext();
        }

        if (!matched)
        {
            _added.Add(new JoinRecord(path, digest, error, bytes, 0));
        }
    }

    /// <summary>After the last file: the entries left are missing; the changes are paired into MOVED and told, in ordinal path order.</summary>
    public void Complete()
    {
        while (_hasEntry)
        {
            _missing.Add(_manifest.Current);
            _hasEntry = _manifest.MoveNext();
        }

        // Moved: a new file with a missing entry's digest; each missing entry explains at most one new file.
        var byDigest = new Dictionary<string, Queue<JoinRecord>>(StringComparer.Ordinal);
        foreach (var entry in _missing)
        {
            var key = Convert.ToHexString(entry.Digest!);
            if (!byDigest.TryGetValue(key, out var queue))
            {
                byDigest[key] = queue = new Queue<JoinRecord>();
            }

            queue.Enqueue(entry);
        }

        var movedFrom = new HashSet<JoinRecord>(ReferenceEqualityComparer.Instance);
        var changes = new List<VerifyResult>(_missing.Count + _added.Count);
        foreach (var file in _added)
        {
            if (file.Digest is { } digest && byDigest.TryGetValue(Convert.ToHexString(digest), out var queue) && queue.TryDequeue(out var from))
            {
                movedFrom.Add(from);
                changes.Add(new VerifyResult(file.Path, VerifyStatus.Moved, from.Digest, digest, file.Bytes, MovedFrom: from.Path));
            }
            else
            {
                changes.Add(new VerifyResult(file.Path, VerifyStatus.New, null, file.Digest, file.Bytes, file.Error));
            }
        }

        foreach (var entry in _missing)
        {
            if (!movedFrom.Contains(entry))
            {
                changes.Add(new VerifyResult(entry.Path, VerifyStatus.Missing, entry.Digest, null, 0));
            }
        }

        changes.Sort((x, y) => Sources.PathOrder.Compare(x.RelativePath, y.RelativePath));
        _missing.Clear();
        _added.Clear();
        foreach (var change in changes)
        {
            _verdict(change);
        }
    }

    public void Dispose() => _manifest.Dispose();
}
