namespace Pipeline.Cli.Output;

/// <summary>An <see cref="IProgress{T}"/> that handles each report on the reporting thread, in order, before the run goes on.</summary>
/// <remarks><see cref="Progress{T}"/> posts to the thread pool, so its reports can arrive out of order or after the run has ended.</remarks>
internal sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
