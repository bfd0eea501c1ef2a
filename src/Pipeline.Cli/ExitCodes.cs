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

    /// <summary>The output folder is locked by another run (EX_TEMPFAIL: try again later); nothing was touched.</summary>
    public const int OutputLocked = 75;

    /// <summary>Cancelled by SIGHUP (128 + 1): the terminal or the session that started the run went away.</summary>
    public const int HungUp = 129;

    /// <summary>Cancelled by Ctrl+C (SIGINT).</summary>
    public const int Cancelled = 130;

    /// <summary>Cancelled by SIGTERM (128 + 15), as a service manager expects.</summary>
    public const int Terminated = 143;
}
