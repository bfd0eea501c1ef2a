using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Running;
using Pipeline.Text;

namespace Pipeline.Sharding;

/// <summary>
/// One of <see cref="Count"/> parts of a job, for running it on many machines at once (a Slurm job array, a Kubernetes
/// Indexed Job): a file belongs to shard <c>i</c> when the first 8 bytes of the SHA-256 of its normalised relative path
/// (forward slashes, Unicode NFC, UTF-8), read as a big-endian unsigned number, are <c>i</c> modulo <see cref="Count"/>.
/// The assignment is the same in every process and on every machine, and a file keeps its shard whichever other files
/// exist or in what order they are listed. Set <see cref="PipelineOptions.Shard"/> to run one shard; join the shards'
/// outputs with <see cref="ShardMerger.MergeAsync"/>.
/// </summary>
public sealed record Shard
{
    /// <summary>The most shards a job can be split into: 65,536.</summary>
    public const int MaxCount = 65_536;

    /// <summary>Creates shard <paramref name="index"/> of <paramref name="count"/>.</summary>
    /// <param name="index">0-based: 0 to <paramref name="count"/> − 1.</param>
    /// <param name="count">1 to <see cref="MaxCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">Either is out of range.</exception>
    public Shard(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        Index = index;
        Count = count;
    }

    /// <summary>
    /// The environment variables that carry a task's index, in the order <see cref="FromEnvironment(int)"/> reads them:
    /// Slurm job arrays, Kubernetes Indexed Jobs, AWS Batch array jobs, Cloud Run jobs.
    /// </summary>
    public static IReadOnlyList<string> IndexVariables { get; } =
        ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "CLOUD_RUN_TASK_INDEX"];

    /// <summary>This shard's 0-based index.</summary>
    public int Index { get; }

    /// <summary>How many shards the job has.</summary>
    public int Count { get; }

    /// <summary>
    /// The shard whose index the scheduler put in the first of <see cref="IndexVariables"/> that is set. The count is
    /// always the caller's: a scheduler's own task count can differ (a Slurm array resubmitted for one index has 1).
    /// </summary>
    /// <param name="count">How many shards the job has: 1 to <see cref="MaxCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is out of range.</exception>
    /// <exception cref="PipelineOptionsException">None of the variables is set, or the first one set is not a whole number from 0 to <paramref name="count"/> − 1; the message names them.</exception>
    public static Shard FromEnvironment(int count) => FromEnvironment(count, Environment.GetEnvironmentVariable);

    /// <inheritdoc cref="FromEnvironment(int)"/>
    internal static Shard FromEnvironment(int count, Func<string, string?> variable)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        foreach (var name in IndexVariables)
        {
            if (variable(name) is not { } text || text.Length == 0)
            {
                continue;
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= count)
            {
                throw new PipelineOptionsException([new PipelineOptionsProblem(nameof(PipelineOptions.Shard),
                    $"{name}={text} is not a shard index of {count} shards (a whole number from 0 to {count - 1})")]);
            }

            return new Shard(index, count);
        }

        throw new PipelineOptionsException([new PipelineOptionsProblem(nameof(PipelineOptions.Shard),
            $"no shard index in the environment: none of {string.Join(", ", IndexVariables)} is set")]);
    }

    /// <summary>The shard of <paramref name="count"/> that <paramref name="relativePath"/> belongs to.</summary>
    /// <param name="relativePath">A path relative to the input folder; <c>\</c> on Windows counts as <c>/</c>.</param>
    /// <param name="count">How many shards: 1 to <see cref="MaxCount"/>.</param>
    /// <returns>0 to <paramref name="count"/> − 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="relativePath"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is out of range.</exception>
    internal static int IndexOf(string relativePath, int count)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        var normalised = Normalise(relativePath);
        var bytes = Encoding.UTF8.GetBytes(normalised);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(digest) % (ulong)count);
    }

    /// <summary>Whether <paramref name="relativePath"/> belongs to this shard.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="relativePath"/> is null.</exception>
    public bool Contains(string relativePath) => IndexOf(relativePath, Count) == Index;

    /// <summary>The shard as the command line writes it: <c>index/count</c>, e.g. <c>3/16</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>
    /// Forward slashes and Unicode NFC (by tables of our own, <see cref="UnicodeNfc"/>: not the platform's, which may not
    /// normalise at all or be of another Unicode version), so that one file has one shard on every system that names it.
    /// </summary>
    private static string Normalise(string relativePath) =>
        UnicodeNfc.Normalize(Path.DirectorySeparatorChar == '/' ? relativePath : relativePath.Replace(Path.DirectorySeparatorChar, '/'));
}
