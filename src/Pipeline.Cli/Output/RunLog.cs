using System.Globalization;
using System.Text;
using Pipeline.Safety;

namespace Pipeline.Cli.Output;

/// <summary>
/// <c>--log FILE</c>: appends timestamped lines (the start with its arguments, every failed file, the end with the
/// summary), each flushed at once, so a log survives however the run ends.
/// </summary>
internal sealed class RunLog : IDisposable
{
    private readonly Lock _lock = new();
    private readonly StreamWriter? _writer;
    private readonly TimeProvider _time;

    private RunLog(StreamWriter? writer, TimeProvider time)
    {
        _writer = writer;
        _time = time;
    }

    public static RunLog None { get; } = new(null, TimeProvider.System);

    /// <summary>
    /// Opens <paramref name="path"/> for appending, creating the file but never its folder (the command checked that it
    /// exists). It is the tool's own file: never opened through a link, never waiting on a pipe, only a regular file.
    /// </summary>
    /// <exception cref="UnusablePathException">The log cannot be opened for appending, or it is not a regular file.</exception>
    public static RunLog Open(string? path, TimeProvider? time = null)
    {
        if (path is null)
        {
            return None;
        }

        var stream = NoFollowFile.Open(path, FileMode.Append, FileAccess.Write);
        return new RunLog(new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" }, time ?? TimeProvider.System);
    }

    public void Write(string message)
    {
        if (_writer is null)
        {
            return;
        }

        var stamp = _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        lock (_lock)
        {
            _writer.WriteLine($"{stamp} [{Environment.ProcessId}] {message.ReplaceLineEndings(" ")}");
        }
    }

    public void Dispose() => _writer?.Dispose();
}
