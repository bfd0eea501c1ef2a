namespace Pipeline.Safety;

/// <summary>The Linux <c>open</c>/<c>openat</c> and <c>flock</c> constants every opener of ours uses, in one place.</summary>
internal static class OpenFlags
{
    public const int AtFdCwd = -100;
    public const int ReadOnly = 0;
    public const int WriteOnly = 1;
    public const int ReadWrite = 2;
    public const int Create = 0x40;
    public const int NoCtty = 0x100;
    public const int Truncate = 0x200;
    public const int Append = 0x400;
    public const int NonBlock = 0x800;

    // O_DIRECTORY and O_NOFOLLOW are the two flags whose values differ between the architectures .NET runs on.
    private static readonly bool s_arm = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture is System.Runtime.InteropServices.Architecture.Arm64 or System.Runtime.InteropServices.Architecture.Arm;

    public static readonly int Directory = s_arm ? 0x4000 : 0x10000;
    public static readonly int NoFollow = s_arm ? 0x8000 : 0x20000;

    public const int CloExec = 0x80000;
    public const int PathOnly = 0x200000;

    public const int LockShared = 1;
    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;
    public const int Unlock = 8;
}
