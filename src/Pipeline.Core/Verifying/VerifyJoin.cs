namespace Pipeline.Verifying;

/// <summary>
/// The merge of the manifest's entries with the files found, both in ordinal path order, into verdicts. Matched paths
/// are decided as they are met (OK, FAILED, UNREADABLE); the changes (listed but not found, found but not listed) are
/// kept until the end, because a new file whose digest is a missing entry's is that entry MOVED. Only the changes are
/// held, so memory follows the number of changes, not the size of the tree.
/// </summary>
internal static class VerifyJoin
{
    public static IEnumerable<VerifyResult> Join(IEnumerable<JoinRecord> manifest, IEnumerable<JoinRecord> files)
    {
        var missing = new List<JoinRecord>();
        var added = new List<JoinRecord>();
        using (var m = manifest.GetEnumerator())
        using (var f = files.GetEnumerator())
        {
            var hasM = m.MoveNext();
            var hasF = f.MoveNext();
            var fileMatched = false; // a manifest may list one path twice: both lines are checked against the one file
            while (hasM || hasF)
            {
                var c = !hasM ? 1 : !hasF ? -1 : string.CompareOrdinal(m.Current.Path, f.Current.Path);
                if (c < 0)
                {
                    missing.Add(m.Current);
                    hasM = m.MoveNext();
                }
                else if (c > 0)
                {
                    if (!fileMatched)
                    {
                        added.Add(f.Current);
                    }

                    hasF = f.MoveNext();
                    fileMatched = false;
                }
                else
                {
                    yield return Match(m.Current, f.Current);
                    fileMatched = true;
                    hasM = m.MoveNext();
                }
            }
        }

        // Moved: a new file with a missing entry's digest; each missing entry explains at most one new file.
        var byDigest = new Dictionary<string, Queue<JoinRecord>>(StringComparer.Ordinal);
        foreach (var entry in missing)
        {
            var key = Convert.ToHexString(entry.Digest!);
            if (!byDigest.TryGetValue(key, out var queue))
            {
                byDigest[key] = queue = new Queue<JoinRecord>();
            }

            queue.Enqueue(entry);
        }

        var movedFrom = new HashSet<JoinRecord>(ReferenceEqualityComparer.Instance);
        var changes = new List<VerifyResult>(missing.Count + added.Count);
        foreach (var file in added)
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

        foreach (var entry in missing)
        {
            if (!movedFrom.Contains(entry))
            {
                changes.Add(new VerifyResult(entry.Path, VerifyStatus.Missing, entry.Digest, null, 0));
            }
        }

        changes.Sort((x, y) => string.CompareOrdinal(x.RelativePath, y.RelativePath));
        foreach (var change in changes)
        {
            yield return change;
        }
    }

    private static VerifyResult Match(JoinRecord entry, JoinRecord file) =>
        file.Digest is not { } actual
            ? new VerifyResult(entry.Path, VerifyStatus.Unreadable, entry.Digest, null, 0, file.Error)
            : new VerifyResult(entry.Path, actual.AsSpan().SequenceEqual(entry.Digest) ? VerifyStatus.Ok : VerifyStatus.Failed, entry.Digest, actual, file.Bytes);
}
