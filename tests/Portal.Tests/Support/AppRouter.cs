using System.Text;

namespace Portal.Tests.Support;

/// <summary>
/// How apps behind a proxy pick what to serve from a raw request target, written independently of the portal's own
/// path handling so the two cannot share a mistake. Each reading is one family of real servers; a path-smuggling
/// test passes only if no reading of a forwarded request lands on protected content.
/// </summary>
internal static class AppRouter
{
    /// <summary>The path as each kind of app reads <paramref name="rawTarget"/>, decoded for prefix matching.</summary>
    public static IReadOnlyList<(string Reading, string Path)> Readings(string rawTarget)
    {
        var path = rawTarget.Split('?', 2)[0];
        return
        [
            // Go, Kestrel, nginx prefix locations: RFC 3986 dot segments; ';', %2F and '\' are part of a segment.
            ("rfc3986", Join(RemoveDots(path.Split('/').Skip(1)))),
            // Servlet containers: ';params' cut from each segment first.
            ("servlet", Join(RemoveDots(path.Split('/').Skip(1).Select(s => s.Split(';')[0])))),
            // IIS-like: '\', %2F and %5C separate segments too.
            ("separators", Join(RemoveDots(Unescape(path).Replace('\\', '/').Split('/').Skip(1).Select(Escape)))),
            // Node/Express: the path as sent, no normalisation.
            ("literal", Unescape(path)),
        ];
    }

    /// <summary>
    /// True when some app would serve <paramref name="rawTarget"/> from <paramref name="prefix"/> or a segment under it
    /// (segment-wise, as routers match: <c>/admin\x</c> is not under <c>/admin</c> to a reading that keeps '\').
    /// </summary>
    public static bool AnyReadingUnder(string rawTarget, string prefix) =>
        Readings(rawTarget).Any(r => r.Path == prefix || r.Path.StartsWith(prefix + "/", StringComparison.Ordinal));

    private static List<string> RemoveDots(IEnumerable<string> segments)
    {
        var output = new List<string>();
        var directory = false;
        foreach (var segment in segments)
        {
            var name = Unescape(segment);
            directory = name is "." or "..";
            if (name == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }
            }
            else if (name != ".")
            {
                output.Add(segment);
            }
        }
        if (directory)
        {
            output.Add("");
        }
        return output;
    }

    private static string Join(List<string> segments) => Unescape("/" + string.Join('/', segments));

    private static string Escape(string segment) => segment.Replace("%", "%25", StringComparison.Ordinal);

    private static string Unescape(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }
}
