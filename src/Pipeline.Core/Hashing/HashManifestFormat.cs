namespace Pipeline.Hashing;

/// <summary>How the <c>hash</c> transform writes its manifest.</summary>
public enum HashManifestFormat
{
    /// <summary>The coreutils format (<c>&lt;hex&gt;  &lt;path&gt;</c>), checkable with <c>sha256sum -c</c> and friends. The default.</summary>
    Sums,

    /// <summary><c>hashes.csv</c> with the columns <c>path,size,hash</c>.</summary>
    Csv,
}
