using Pipeline.IO;
using Pipeline.Safety;

namespace Pipeline.Running.Engine;

/// <summary>
/// The permission bits every input of a run has in common, gathered as the walk hands files on, so that an output
/// describing all of them (a manifest) is never more readable than the most private one: a digest of a secret file
/// stays as private as the file.
/// </summary>
internal sealed class InputPermissions
{
    private UnixFileMode _shared = (UnixFileMode)0x1FF; // 0777, until an input says less
    private bool _any;

    /// <summary>Counts in one input, as the walk saw it (an unknown node changes nothing).</summary>
    public void Add(FileNode input)
    {
        if (input.IsKnown)
        {
            _shared &= input.Permissions;
            _any = true;
        }
    }

    /// <summary>The access of an aggregate output of these inputs; <see langword="null"/> when no input's permissions are known.</summary>
    public OutputAccess? Access => _any ? OutputAccess.Describing(_shared) : null;
}
