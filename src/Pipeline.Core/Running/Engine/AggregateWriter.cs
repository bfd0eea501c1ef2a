using Pipeline.IO;
using Pipeline.Safety;
using Pipeline.Transforms;

namespace Pipeline.Running.Engine;

/// <summary>Writes a run's aggregate outputs (a manifest, say): one code path for both runners and for embedders.</summary>
internal static class AggregateWriter
{
    /// <summary>Writes the outputs the transform builds from the successful results, each atomically, after the guard has checked its path, with <c>access</c> (see <see cref="OutputAccess.Describing"/>; <see langword="null"/>: the default of a new file).</summary>
    public static async Task WriteAsync(IFileTransform transform, string outputRoot, IEnumerable<FileResult> results, OutputGuard? guard, OutputAccess? access, CancellationToken cancellationToken)
    {
        var sorted = results.Where(r => r.Status is FileStatus.Succeeded or FileStatus.Skipped).Order(ResultOrder.Instance).ToList();
        foreach (var output in transform.CreateAggregateOutputs(sorted))
        {
            var path = Path.Join(outputRoot, output.RelativePath);
            guard?.Check(path);
            await AtomicFileWriter.WriteAllAsync(path, output.Content, access, cancellationToken).ConfigureAwait(false);
        }
    }
}
