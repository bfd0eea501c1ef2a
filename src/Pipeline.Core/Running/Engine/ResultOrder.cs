namespace Pipeline.Running.Engine;

/// <summary>Orders results by ordinal relative path, the order of every output a user can see.</summary>
internal sealed class ResultOrder : IComparer<FileResult>
{
    public static readonly ResultOrder Instance = new();

    public int Compare(FileResult? x, FileResult? y) =>
        Sources.PathOrder.Compare(x?.RelativePath, y?.RelativePath);
}
