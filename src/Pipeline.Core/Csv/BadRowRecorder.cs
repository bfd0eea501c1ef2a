namespace Pipeline.Csv;

/// <summary>
/// Takes one file's malformed rows as <see cref="BadRowPolicy"/> says: under <see cref="BadRowPolicy.Fail"/> the first
/// one fails the file, naming its line; otherwise each is kept for <c>bad-rows.csv</c>, its raw text cut to
/// <see cref="BadRow.MaxRawLength"/> characters.
/// </summary>
internal sealed class BadRowRecorder(string file, BadRowPolicy policy)
{
    private readonly List<BadRow> _rows = [];

    /// <summary>The rows recorded so far, in file order.</summary>
    public IReadOnlyList<BadRow> Rows => _rows;

    /// <summary>Records the row starting on <paramref name="line"/>.</summary>
    /// <exception cref="InvalidDataException">The policy is <see cref="BadRowPolicy.Fail"/>.</exception>
    public void Record(long line, string reason, string raw)
    {
        if (policy == BadRowPolicy.Fail)
        {
            throw new InvalidDataException($"line {line}: {reason}");
        }

        _rows.Add(new BadRow(file, line, reason, raw.Length > BadRow.MaxRawLength ? raw[..BadRow.MaxRawLength] : raw));
    }
}
