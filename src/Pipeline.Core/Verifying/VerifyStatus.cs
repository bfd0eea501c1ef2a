namespace Pipeline.Verifying;

/// <summary>What <see cref="ManifestVerifier"/> found for one path of the tree or of the manifest.</summary>
public enum VerifyStatus
{
    /// <summary>Listed, read, and its digest equals the manifest's.</summary>
    Ok,

    /// <summary>Listed and read, but its digest differs from the manifest's.</summary>
    Failed,

    /// <summary>Listed, but no such file under the root (and no new file has its digest).</summary>
    Missing,

    /// <summary>Listed and present, but it could not be read; <see cref="VerifyResult.Error"/> says why.</summary>
    Unreadable,

    /// <summary>Under the root and within the selection, but not listed.</summary>
    New,

    /// <summary>Not listed, but its digest equals that of a listed file that is missing: moved from <see cref="VerifyResult.MovedFrom"/>.</summary>
    Moved,
}
