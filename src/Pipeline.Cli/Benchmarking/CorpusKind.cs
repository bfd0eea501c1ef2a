namespace Pipeline.Cli.Benchmarking;

/// <summary>The seeded corpora of the benchmark suite.</summary>
internal enum CorpusKind
{
    /// <summary>Many small random files (1–8 KiB) in about 100 folders: per-file overhead.</summary>
    HashSmall,

    /// <summary>A few large random files: raw hashing throughput.</summary>
    HashLarge,

    /// <summary>A few large text files: compression throughput.</summary>
    GzipLargeText,

    /// <summary>One large text file: compression of a single file on every core.</summary>
    GzipOneLarge,

    /// <summary>Many small text files: per-file overhead of compression.</summary>
    GzipSmall,

    /// <summary>CSV files with the columns id,timestamp,name,city,amount,quantity,category,note, quoted fields and about one malformed row in 5,000.</summary>
    Csv,

    /// <summary>A million one-byte files in 2,000 folders (500 a folder, two levels deep): what grows with the number of files.</summary>
    ManySmall,

    /// <summary>A million tiny CSV files (a header and one to three rows) in 2,000 folders, one in four with a malformed row: bad rows in many files.</summary>
    ManySmallCsv,
}
