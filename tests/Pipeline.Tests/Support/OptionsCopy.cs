using Pipeline.Running;

namespace Pipeline.Tests.Support;

/// <summary>Options changed for one test, leaving the ones it started from as they are.</summary>
public static class OptionsCopy
{
    /// <summary>A copy of <paramref name="options"/> with <paramref name="change"/> made to it.</summary>
    public static PipelineOptions With(this PipelineOptions options, Action<PipelineOptions> change)
    {
        var copy = options.Clone();
        change(copy);
        return copy;
    }
}
