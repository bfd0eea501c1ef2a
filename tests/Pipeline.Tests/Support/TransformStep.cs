namespace Pipeline.Tests.Support;

/// <summary>The calls a runner makes on a transform and its processors, in the order a file meets them.</summary>
public enum TransformStep
{
    GetOutputPath,
    CreateProcessor,
    Append,
    Complete,
    Dispose,
    CreateAggregateOutputs,
}
