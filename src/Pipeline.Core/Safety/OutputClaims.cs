using Pipeline.Sources;
using Pipeline.Transforms;

namespace Pipeline.Safety;

/// <summary>
/// Makes sure no two results land on one path. Files come from the walk in ordinal order; each claims its output path,
/// and a later file whose output is already claimed, or is the name of one of the run's aggregate outputs, fails with
/// a reason naming the other. Memory stays bounded: an output beside its input (every built-in transform) can only
/// collide with outputs of the same folder, so such claims are dropped once the walk has left that folder; only claims
/// of a transform that moves outputs to other folders are kept for the whole run.
/// </summary>
internal sealed class OutputClaims
{
    private static readonly StringComparer PathComparer =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private readonly IFileTransform _transform;
    private readonly Dictionary<string, string> _aggregates;
    private readonly Dictionary<string, string> _elsewhere = new(PathComparer);
    private readonly Dictionary<string, Dictionary<string, string>> _besideInput = new(PathComparer);

    /// <param name="transform">The run's transform.</param>
    /// <param name="outputRoot">The output folder, absolute.</param>
    /// <param name="ownFiles">Files the run writes itself besides its outputs (a report, a log): inside the output folder, no output may land on them.</param>
    public OutputClaims(IFileTransform transform, string outputRoot, IEnumerable<string> ownFiles)
    {
        _transform = transform;
        _aggregates = transform.CreateAggregateOutputs([]).ToDictionary(a => a.RelativePath, a => "the run's own " + a.RelativePath, PathComparer);
        var root = FileNode.Find(outputRoot);
        foreach (var file in ownFiles)
        {
            // A file directly in the output folder, however its path reaches it (a link to the folder, say), by identity;
            // deeper ones by their path under the output folder.
            var full = Path.GetFullPath(file);
            var relative = root is { } r && FileNode.Find(Path.GetDirectoryName(full)!) is { } folder && folder.IsSameNode(r)
                ? Path.GetFileName(full)
                : Path.GetRelativePath(outputRoot, full).Replace('\\', '/');
            if (!relative.StartsWith("../", StringComparison.Ordinal) && relative != ".." && !Path.IsPathRooted(relative))
            {
                _aggregates[relative] = "the run's own " + relative + " (its report or log)";
            }
        }
    }

    /// <summary>The one place inside the tool's own folder where outputs may go: parts kept to be joined later.</summary>
    internal const string PartsFolder = ".pipeline/concat/";

    /// <summary>The walk's files, each failed with a reason if its output would overwrite another's.</summary>
    public IEnumerable<SourceFile> Apply(IEnumerable<SourceFile> files)
    {
        foreach (var file in files)
        {
            yield return file.EnumerationError is null ? Claim(file) : file;
        }
    }

    private SourceFile Claim(SourceFile file)
    {
        string? output;
        try
        {
            output = _transform.GetOutputPath(file.RelativePath);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return file.WithFailure(new OutputNamingException(ex.Message, ex));
        }

        if (output is null)
        {
            return file;
        }

        if (output.Split('/')[0] == Unattended.RunJournal.FolderName && !output.StartsWith(PartsFolder, StringComparison.Ordinal))
        {
            // The tool's own folder (lock, journal, shard records): an input named .pipeline/journal, or an output name
            // that leads there, would replace them. Only its parts folder takes outputs (the command line's --concat
            // keeps each file's part there before joining them).
            return file.WithFailure(new OutputRefusedException($"its output {output} would be inside {Unattended.RunJournal.FolderName}, the tool's own folder; rename the input or write elsewhere"));
        }

        if (_aggregates.TryGetValue(output, out var reserved))
        {
            return file.WithFailure(new OutputRefusedException($"its output {output} would replace {reserved}; rename the input or write elsewhere"));
        }

        var inputFolder = FolderOf(file.RelativePath);
        Forget(inputFolder);
        if (FindClaim(output) is { } owner)
        {
            return file.WithFailure(new OutputRefusedException($"its output {output} is already the output of {owner}; nothing was written for it"));
        }

        // An output needs its folders: a folder that is already another file's output cannot be made.
        for (var folder = FolderOf(output); folder.Length > 0; folder = FolderOf(folder))
        {
            if (FindClaim(folder) is { } fileOwner)
            {
                return file.WithFailure(new OutputRefusedException($"its output {output} needs a folder {folder}, which is already the output of {fileOwner}; nothing was written for it"));
            }
        }

        var claims = FolderOf(output) == inputFolder ? Folder(inputFolder) : _elsewhere;

        claims[output] = file.RelativePath;
        return file;
    }

    /// <summary>The input that claimed <paramref name="output"/>, if it is still remembered (see the class remarks).</summary>
    private string? FindClaim(string output) =>
        _elsewhere.TryGetValue(output, out var owner) || (_besideInput.TryGetValue(FolderOf(output), out var claims) && claims.TryGetValue(output, out owner))
            ? owner
            : null;

    private Dictionary<string, string> Folder(string folder)
    {
        if (!_besideInput.TryGetValue(folder, out var claims))
        {
            claims = new Dictionary<string, string>(PathComparer);
            _besideInput[folder] = claims;
        }

        return claims;
    }

    /// <summary>Drops the claims of folders the walk has left: those that are not <paramref name="current"/> or one of its ancestors.</summary>
    private void Forget(string current)
    {
        if (_besideInput.Count == 0 || (_besideInput.Count == 1 && _besideInput.ContainsKey(current)))
        {
            return;
        }

        foreach (var folder in _besideInput.Keys.ToList())
        {
            var ancestor = folder.Length == 0 || current == folder || current.StartsWith(folder + "/", StringComparison.Ordinal);
            if (!ancestor)
            {
                _besideInput.Remove(folder);
            }
        }
    }

    private static string FolderOf(string relativePath)
    {
        var slash = relativePath.LastIndexOf('/');
        return slash < 0 ? string.Empty : relativePath[..slash];
    }
}
