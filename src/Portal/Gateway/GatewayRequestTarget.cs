using Portal.AccessControl;

namespace Portal.Gateway;

/// <summary>
/// The gateway's one reading of a request line. The decision is taken on the path Kestrel parsed (the very
/// <c>Request.Path</c> YARP forwards), so the two cannot differ; what Kestrel might read one way and an app or the
/// rules another is refused here first, before anything is decided or forwarded.
/// </summary>
internal static class GatewayRequestTarget
{
    /// <summary>Null when the raw request target reads one way only; otherwise why it does not.</summary>
    public static string? Ambiguity(string rawTarget)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        if (!rawTarget.StartsWith('/'))
        {
            return "not an origin-form request target";
        }
        if (rawTarget.Contains('#', StringComparison.Ordinal))
        {
            // Never sent by a browser: Kestrel reads it as part of the path, the rules as a fragment.
            return "'#' in the request target";
        }
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? rawTarget : rawTarget[..q];
        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return "'\\' in the path";
        }
        if (Decode(path) is not { } decoded)
        {
            return "invalid percent-encoding or UTF-8 in the path";
        }
        if (decoded.Any(char.IsControl))
        {
            return "control character in the path";
        }
        var segments = path.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Contains("%2F", StringComparison.OrdinalIgnoreCase) || segment.Contains("%5C", StringComparison.OrdinalIgnoreCase))
            {
                return "encoded '/' or '\\' in the path";
            }
            var semi = segment.IndexOf(';', StringComparison.Ordinal);
            var name = Decode(semi < 0 ? segment : segment[..semi]);
            if (name is "." or "..")
            {
                if (semi >= 0)
                {
                    return "';' in a dot segment";
                }
                if (segment is not ("." or ".."))
                {
                    return "encoded dot segment";
                }
                if (name == ".." && i > 1 && segments[i - 1].Length == 0)
                {
                    return "empty segment before '..'";
                }
            }
        }
        return null;
    }

    private static string? Decode(string text) => PercentDecoding.TryDecode(text, out var decoded, out _) ? decoded : null;
}
