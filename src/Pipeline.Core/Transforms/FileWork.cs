using Microsoft.Win32.SafeHandles;
using Pipeline.Sources;

namespace Pipeline.Transforms;

/// <summary>One file handed to an <see cref="IAsyncFileTransform"/>: the file, its content, and where its output goes.</summary>
public sealed class FileWork
{
    private readonly Func<string>? _outputPath;
    private readonly Func<SafeFileHandle>? _outputHandle;

    internal FileWork(SourceFile file, Stream input, SafeFileHandle? inputHandle, Stream output, Func<string>? outputPath, Func<SafeFileHandle>? outputHandle)
    {
        File = file;
        Input = input;
        InputHandle = inputHandle;
        Output = output;
        _outputPath = outputPath;
        _outputHandle = outputHandle;
    }

    /// <summary>The file, as the walk found it.</summary>
    public SourceFile File { get; }

    /// <summary>
    /// The file's content, read by the run's reader from the file the walk saw; reading to the end checks that it did
    /// not change while read (a change fails the file). Need not be read at all.
    /// </summary>
    public Stream Input { get; }

    /// <summary>
    /// The opened file, at its start, when the transform takes open files (<see cref="IAsyncFileTransform.TakesOpenFile"/>);
    /// <see langword="null"/> otherwise, and <see cref="Input"/> is then empty. The runner owns it: do not close it.
    /// </summary>
    public SafeFileHandle? InputHandle { get; }

    /// <summary>
    /// The file's output, written to a temporary file beside its target and renamed into place only when
    /// <see cref="IAsyncFileTransform.ProcessAsync"/> returns; writes wait while the disk catches up. A write-only sink
    /// that discards everything when the transform writes no output for this file.
    /// </summary>
    public Stream Output { get; }

    /// <summary>
    /// A temporary path for the output, for work that writes it itself (a child process given the path): it is renamed
    /// into place when <see cref="IAsyncFileTransform.ProcessAsync"/> returns, and removed if it throws. Asking for it
    /// means <see cref="Output"/> is not used.
    /// </summary>
    /// <exception cref="InvalidOperationException">The transform writes no output for this file.</exception>
    public string OutputPath => _outputPath?.Invoke() ?? throw new InvalidOperationException($"{File.RelativePath} has no output");

    /// <summary>
    /// The output's temporary file, open for writing at its start, for work that hands it to something that writes it
    /// itself (a child process's standard output): it is renamed into place when <see cref="IAsyncFileTransform.ProcessAsync"/>
    /// returns, and removed if it throws. Asking for it means <see cref="Output"/> is not used. The runner owns it: do not close it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The transform writes no output for this file.</exception>
    public SafeFileHandle OutputHandle => _outputHandle?.Invoke() ?? throw new InvalidOperationException($"{File.RelativePath} has no output");
}
