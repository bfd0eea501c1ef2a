namespace Pipeline.Tests.Support;

/// <summary>A fresh folder per test, removed afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Join(System.IO.Path.GetTempPath(), "pipeline-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string relative) => System.IO.Path.Join(Path, relative);

    public string Write(string relative, byte[] content)
    {
        var full = Sub(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    public string Write(string relative, string content) => Write(relative, System.Text.Encoding.UTF8.GetBytes(content));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A name .NET cannot spell (bytes that are not UTF-8, made by a test through bash) stops Directory.Delete,
            // and the folder was left behind in the temporary folder after every run; rm takes any name.
            if (!OperatingSystem.IsWindows())
            {
                using var rm = System.Diagnostics.Process.Start("rm", ["-rf", "--", Path]);
                rm.WaitForExit();
            }
        }
    }
}
