namespace Pipeline.Comparing;

/// <summary>The sequential implementation against the pipeline on the same inputs.</summary>
/// <param name="Transform">The transform's name.</param>
/// <param name="Files">Files processed per round.</param>
/// <param name="Bytes">Input bytes per round.</param>
/// <param name="FilesFailed">Files that failed (in the pipeline's last round).</param>
/// <param name="Cores">Logical cores of the machine.</param>
/// <param name="Sequential">The sequential implementation's measurements.</param>
/// <param name="Pipeline">The pipeline's measurements.</param>
/// <param name="Identical">Whether both wrote byte-identical output trees.</param>
/// <param name="Difference">The first difference found, when not identical.</param>
public sealed record ComparisonResult(
    string Transform,
    int Files,
    long Bytes,
    int FilesFailed,
    int Cores,
    ModeMeasurement Sequential,
    ModeMeasurement Pipeline,
    bool Identical,
    string? Difference)
{
    /// <summary>Sequential median seconds divided by pipeline median seconds.</summary>
    public double Speedup => Pipeline.MedianSeconds > 0 ? Sequential.MedianSeconds / Pipeline.MedianSeconds : 0;

    /// <summary><see cref="Speedup"/> divided by <see cref="Cores"/>: 1.0 is perfect use of every core.</summary>
    public double Efficiency => Cores > 0 ? Speedup / Cores : 0;
}
