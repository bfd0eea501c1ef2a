namespace Pipeline.Cli.Comparing;

/// <summary>How <see cref="ComparisonRunner"/> measures: the number of rounds and where the rounds write.</summary>
internal sealed record ComparisonOptions
{
    private readonly int _rounds = 3;
    private readonly string? _scratchFolder;

    /// <summary>Measured rounds of each implementation, after one warm-up of each. Default: 3. Range: 1 to <see cref="ComparisonRunner.MaxRounds"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Out of range.</exception>
    public int Rounds
    {
        get => _rounds;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, ComparisonRunner.MaxRounds);
            _rounds = value;
        }
    }

    /// <summary>
    /// The folder every round writes its output into, each round in a new subfolder of it. Default: <see langword="null"/>,
    /// a new temporary folder that is removed when the comparison ends. A folder given here is created if missing and
    /// left in place with the rounds' outputs: its owner removes it when nothing more is timed, because deleting many
    /// files slows the creation of new ones for a while (ext4 skips inodes freed in the last minute), which would
    /// slow whatever is measured next.
    /// </summary>
    /// <exception cref="ArgumentException">Empty or white space.</exception>
    public string? ScratchFolder
    {
        get => _scratchFolder;
        init
        {
            if (value is not null)
            {
                ArgumentException.ThrowIfNullOrWhiteSpace(value);
            }

            _scratchFolder = value;
        }
    }
}
