namespace Pipeline.Safety;

/// <summary>
/// A file's output that may not be written where its transform puts it: over another file's output or the run's own
/// file, outside the output folder, or into the input folder. Nothing is written for the file.
/// </summary>
internal sealed class OutputRefusedException(string message) : IOException(message);
