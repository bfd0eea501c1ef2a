using System.Text;
using Pipeline.IO;
using Pipeline.Running;
using Pipeline.Safety;

namespace Pipeline.Cli.Transforms;

/// <summary>
/// <c>exec --concat NAME</c>: every file's output, kept as a part under <c>.pipeline/concat/</c> (so a resumed run still
/// has the parts of the files it skips), joined into one output in ordinal path order as the results come in that order,
/// whatever order the commands finished in; streamed part by part into a temporary file, never held whole, and put in
/// place only when the run ends well. With <c>--tag</c>, each line starts with the file's relative path and a tab (and ends with a newline).
/// </summary>
internal sealed class ConcatObserver(string name, bool tag) : RunObserver, IDisposable
{
    /// <summary>Where the parts are, under the output root.</summary>
    public const string PartsFolder = ".pipeline/concat";

    private readonly byte[] _buffer = new byte[64 * 1024];
    private AtomicFileWriter? _writer;
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode ReadWrite = OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
    private UnixFileMode _shared = (UnixFileMode)0x1FF;
    private bool _anyPart;

    /// <summary>The output name template of the parts (see <see cref="Exec.ExecOptions.OutputName"/>).</summary>
    public static string PartName => PartsFolder + "/{rel}";

    public override void Add(FileResult result, string outputRoot)
    {
        if (result.Status is not (FileStatus.Succeeded or FileStatus.Skipped))
        {
            return;
        }

        var writer = Writer(outputRoot);
        var part = Path.Join(outputRoot, PartsFolder, result.RelativePath);
        using var input = OpenPart(part);
        if (!OperatingSystem.IsWindows())
        {
            _shared &= File.GetUnixFileMode(input.SafeFileHandle); // no more readable than any part, each as private as its input
        }

        _anyPart = true;

        if (tag)
        {
            CopyTagged(input, writer, Encoding.UTF8.GetBytes(result.RelativePath + "\t"));
            return;
        }

        int n;
        while ((n = input.Read(_buffer)) > 0)
        {
            writer.Write(_buffer.AsSpan(0, n));
        }
    }

    /// <summary>A part, opened as the file a run wrote: never through a link put in its place since, never a pipe.</summary>
    private FileStream OpenPart(string part)
    {
        try
        {
            return NoFollowFile.Open(part, FileMode.Open, FileAccess.Read);
        }
        catch (UnusablePathException ex)
        {
            // Not a configuration error of this run (which exits 2) but a part that is not what the run left: the file fails.
            throw new IOException(ex.Kind == UnusablePathKind.NotRegularFile
                ? $"{part}: not joined into {name}: a link or a special file stands where the command's output was kept"
                : $"{part}: not joined into {name}: {ex.Reason}", ex);
        }
    }

    /// <summary>Puts the joined output in place, unless the run was cancelled or stopped by its error limit.</summary>
    public void Finish(RunSummary summary, string outputRoot)
    {
        if (summary.Cancelled || summary.StoppedByErrorLimit)
        {
            return;
        }

        var writer = Writer(outputRoot);
        // Readable by no one a part is not readable by (each as private as its input), and by the one who runs the tool;
        // with no part at all, by that one alone, as a manifest of no file is.
        writer.Permissions = _anyPart ? (_shared & ReadWrite) | OwnerReadWrite : OwnerReadWrite;
        writer.Commit();
    }

    public void Dispose() => _writer?.Dispose();

    private AtomicFileWriter Writer(string outputRoot) =>
        _writer ??= AtomicFileWriter.Create(Path.Join(outputRoot, name), permissions: OwnerReadWrite); // private until every part is known

    /// <summary>Copies <paramref name="input"/> with <paramref name="prefix"/> before each line; a last line without a newline is given one.</summary>
    private void CopyTagged(Stream input, AtomicFileWriter writer, byte[] prefix)
    {
        var atLineStart = true;
        int n;
        while ((n = input.Read(_buffer)) > 0)
        {
            var chunk = _buffer.AsSpan(0, n);
            while (!chunk.IsEmpty)
            {
                if (atLineStart)
                {
                    writer.Write(prefix);
                    atLineStart = false;
                }

                var end = chunk.IndexOf((byte)'\n');
                var line = end < 0 ? chunk : chunk[..(end + 1)];
                writer.Write(line);
                atLineStart = end >= 0;
                chunk = chunk[line.Length..];
            }
        }

        if (!atLineStart)
        {
            writer.Write("\n"u8); // a last line without its newline still ends before the next file's first
        }
    }
}
