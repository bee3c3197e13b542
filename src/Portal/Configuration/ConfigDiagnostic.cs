namespace Portal.Configuration;

/// <param name="Origin">"line 12" or "environment variable PORTAL_X", where known</param>
internal sealed record ConfigDiagnostic(ConfigSeverity Severity, string Path, string Message, string? Origin)
{
    /// <summary>The path in the leading section, the line where known.</summary>
    public override string ToString()
    {
        // "session.cookies[0].authelia_url" → "session: cookies[0]:" (the key itself is named in the message).
        var segments = Path.Split('.', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (segments.Count > 0 && Message.StartsWith($"option '{segments[^1]}'", StringComparison.Ordinal))
        {
            segments.RemoveAt(segments.Count - 1);
        }
        var prefix = segments.Count == 0 ? "" : string.Join(": ", segments) + ": ";
        return prefix + Message + (Origin is null ? "" : $" ({Origin})");
    }
}
