namespace Pipeline.Cli;

/// <summary>The process exit codes a scheduler can act on.</summary>
internal static class ExitCodes
{
    /// <summary>Every selected file succeeded, or there was nothing to do.</summary>
    public const int Success = 0;

    /// <summary>Some files failed (or, for compare, the outputs differ); the others were processed.</summary>
    public const int FilesFailed = 1;

    /// <summary>Bad arguments or configuration; nothing was touched.</summary>
    public const int BadArguments = 2;

    /// <summary>Cancelled by Ctrl+C or SIGTERM.</summary>
    public const int Cancelled = 130;
}
