namespace Portal.AccessControl;

/// <summary>
/// The ways common backends read one raw request path, where they differ from the canonical (Authelia) reading.
/// The portal cannot know which reading the app behind a proxy uses — nginx and Caddy pass the raw request line on —
/// so a decision is taken on all of them and the strictest wins: <c>/secret/..;/public</c> is <c>/public</c> to
/// the canonical reading but <c>/secret/public</c> to an app that keeps <c>;</c> literally.
/// </summary>
internal static class PathReadings
{
    /// <summary>How a reading treats the raw path before removing dot segments (RFC 3986 §5.2.4, empty segments kept).</summary>
    private enum Reading
    {
        /// <summary>RFC 3986 only: <c>/</c> separates, <c>;</c>, <c>\</c>, <c>%2F</c> and <c>%5C</c> are literal (Go, Node, nginx locations).</summary>
        Rfc3986,

        /// <summary>Servlet containers: <c>;params</c> are cut from each segment before it is read.</summary>
        StripParams,

        /// <summary>IIS and some Java and Node stacks: <c>%2F</c>, <c>%5C</c> and <c>\</c> separate segments too.</summary>
        DecodedSeparators,

        /// <summary>
        /// No normalisation at all: Node's http server and Express-style routers match the path as sent, so
        /// <c>/admin/%2e%2e/public</c> is under <c>/admin</c> there. (Browsers never send dot segments.)
        /// </summary>
        Literal,
    }

    private static readonly Reading[] All = [Reading.Rfc3986, Reading.StripParams, Reading.DecodedSeparators, Reading.Literal];

    /// <summary>
    /// The readings of <paramref name="rawPath"/> (percent-encoded, already validated by <see cref="AccessTarget"/>)
    /// that differ from <paramref name="canonical"/>, without duplicates; empty for ordinary paths.
    /// </summary>
    public static IReadOnlyList<string> Others(string rawPath, string canonical)
    {
        if (!MayDiffer(rawPath))
        {
            return [];
        }
        List<string>? others = null;
        foreach (var reading in All)
        {
            var path = Read(rawPath, reading);
            if (path != canonical && (others is null || !others.Contains(path)))
            {
                (others ??= []).Add(path);
            }
        }
        return others ?? (IReadOnlyList<string>)[];
    }

    /// <summary>Without any of these, every reading is the canonical one (the fast path of almost every request).</summary>
    private static bool MayDiffer(string rawPath) =>
        rawPath.AsSpan().IndexOfAny('%', ';', '\\') >= 0
        || rawPath.Contains("//", StringComparison.Ordinal)
        || rawPath.Contains("/.", StringComparison.Ordinal);

    private static string Read(string rawPath, Reading reading)
    {
        var raw = rawPath.Length == 0 ? "/" : rawPath;
        if (reading == Reading.Literal)
        {
            return Decode(raw);
        }
        if (reading == Reading.DecodedSeparators)
        {
            raw = raw.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase)
                .Replace("%5C", "/", StringComparison.OrdinalIgnoreCase)
                .Replace('\\', '/');
        }
        // The leading '/' opens the path; every later one separates segments (empty ones included, as in RFC 3986).
        var segments = raw.Split('/')[1..];
        var output = new List<string>(segments.Length);
        var endsInDirectory = false;
        foreach (var rawSegment in segments)
        {
            var semi = reading == Reading.StripParams ? rawSegment.IndexOf(';', StringComparison.Ordinal) : -1;
            var segment = Decode(semi < 0 ? rawSegment : rawSegment[..semi]);
            endsInDirectory = segment is "." or "..";
            if (segment == ".")
            {
                continue;
            }
            if (segment == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }
                continue;
            }
            output.Add(segment);
        }
        if (endsInDirectory)
        {
            output.Add("");
        }
        return "/" + string.Join('/', output);
    }

    /// <summary>Percent-decodes one segment (<c>%2F</c> becomes a literal '/' inside it, as the app's router sees the text).</summary>
    private static string Decode(string segment) =>
        // AccessTarget refused the path unless all of it decodes strictly, and the separators split at ASCII, so
        // every segment decodes too.
        PercentDecoding.TryDecode(segment, out var decoded, out var error) ? decoded : throw new InvalidOperationException($"segment {error}");
}
