namespace Pipeline.Safety;

/// <summary>A transform that threw when asked for a file's output path (its inner exception): that file fails, with the kind of its cause.</summary>
internal sealed class OutputNamingException(string reason, Exception cause)
    : Exception($"the transform could not name its output: {reason}", cause);
