namespace Pipeline.Tests.Support;

/// <summary>A fact that needs libdeflate loaded (Debian's libdeflate0): skipped where it is not, saying what to install.</summary>
public sealed class NeedsLibdeflateFactAttribute : FactAttribute
{
    public NeedsLibdeflateFactAttribute()
    {
        if (!Pipeline.Compression.Libdeflate.IsAvailable)
        {
            Skip = "needs libdeflate (Debian package libdeflate0), which is not installed: install it to run this test";
        }
    }
}
