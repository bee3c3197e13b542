using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portal.AccessControl;

/// <summary>
/// The request being authorized, in canonical form. Only the <see cref="TryCreate(string, string, out AccessTarget, out string)"/>
/// factories build one, so every spelling of a URL that a backend would treat alike reaches the rules alike
/// (a rule bypass by <c>a.B.example.com</c>, <c>/admin;x</c> or <c>/%2e%2e/admin</c> is otherwise easy).
/// </summary>
internal sealed record AccessTarget
{
    private static readonly IdnMapping Idn = new();

    private Dictionary<string, string>? _queryFirstValues;

    private AccessTarget(string scheme, string host, int? port, string path, string query, string method, IReadOnlyList<string>? otherPaths = null)
    {
        Scheme = scheme;
        Host = host;
        Port = port;
        Path = path;
        Query = query;
        Method = method;
        PathAndQuery = query.Length == 0 ? path : path + "?" + query;
        Readings = otherPaths is null or { Count: 0 }
            ? [this]
            : [this, .. otherPaths.Select(p => new AccessTarget(scheme, host, port, p, query, method))];
    }

    /// <summary>Lower-case scheme.</summary>
    public string Scheme { get; }

    /// <summary>Lower-case ASCII host (punycode), no port, no trailing dot; an IPv6 literal without brackets.</summary>
    public string Host { get; }

    public int? Port { get; }

    /// <summary>Decoded once, dot-segments resolved, <c>//</c> collapsed, <c>;params</c> stripped, trailing slash kept.</summary>
    public string Path { get; }

    /// <summary>The raw query without the <c>?</c>; empty when there is none.</summary>
    public string Query { get; }

    /// <summary>Upper-case letters only.</summary>
    public string Method { get; }

    /// <summary>What <c>resources</c> regexes see, as in Authelia: the path, plus <c>?query</c> when there is one.</summary>
    public string PathAndQuery { get; }

    /// <summary>
    /// This target first, then the same request as other common backends would read its path where that differs from
    /// <see cref="Path"/> (<see cref="PathReadings"/>). A decision must hold for every reading: the app behind the proxy
    /// may route by any of them.
    /// </summary>
    public IReadOnlyList<AccessTarget> Readings { get; }

    /// <summary>The path reads differently under the common interpretations (dot segments, <c>;</c>, <c>%2F</c>, <c>\</c>).</summary>
    public bool IsAmbiguous => Readings.Count > 1;

    /// <summary>
    /// First value of each query key, decoded like Go's <c>url.ParseQuery</c> (pairs that fail to decode are skipped).
    /// Built on first use because most rules have no <c>query</c> criterion.
    /// </summary>
    internal IReadOnlyDictionary<string, string> QueryFirstValues => _queryFirstValues ??= ParseQuery(Query);

    /// <summary>
    /// Builds a target from an absolute URL a person wrote (a login redirect target, a URL on the command line): a
    /// <c>#fragment</c> is cut, as a browser would before sending it.
    /// </summary>
    public static bool TryCreate(string absoluteUrl, string method, out AccessTarget target, out string error) =>
        TryCreate(absoluteUrl, method, requestTarget: false, out target, out error);

    /// <summary>
    /// Builds a target from the URL a proxy says was requested (<c>X-Original-URL</c>). Browsers never send a
    /// <c>#</c>; one in a request line is an attempt to make the portal and the app read the path differently, so
    /// it is refused rather than cut.
    /// </summary>
    public static bool TryCreateRequested(string absoluteUrl, string method, out AccessTarget target, out string error) =>
        TryCreate(absoluteUrl, method, requestTarget: true, out target, out error);

    private static bool TryCreate(string absoluteUrl, string method, bool requestTarget, out AccessTarget target, out string error)
    {
        target = null!;
        if (string.IsNullOrEmpty(absoluteUrl))
        {
            error = "URL is empty";
            return false;
        }
        if (HasControlOrSpace(absoluteUrl))
        {
            error = "URL contains whitespace or control characters";
            return false;
        }
        var sep = absoluteUrl.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0 || !IsValidScheme(absoluteUrl.AsSpan(0, sep)))
        {
            error = "URL must be absolute (scheme://host/path)";
            return false;
        }
        var rest = absoluteUrl[(sep + 3)..];
        var end = rest.AsSpan().IndexOfAny('/', '?', '#');
        var authority = end < 0 ? rest : rest[..end];
        var pathAndQuery = end < 0 ? "" : rest[end..];
        return TryBuild(absoluteUrl[..sep], authority, pathAndQuery, method, requestTarget, out target, out error);
    }

    /// <summary>
    /// Builds a target from forward-auth parts: <c>X-Forwarded-Proto</c>, <c>X-Forwarded-Host</c> (may carry a port) and
    /// <c>X-Forwarded-URI</c> (must start with <c>/</c>; empty means <c>/</c>). These describe a request line, so a
    /// <c>#</c> is refused (see <see cref="TryCreateRequested"/>).
    /// </summary>
    public static bool TryCreate(string scheme, string host, string rawPathAndQuery, string method, out AccessTarget target, out string error)
    {
        target = null!;
        if (string.IsNullOrEmpty(scheme) || !IsValidScheme(scheme))
        {
            error = "scheme is missing or invalid";
            return false;
        }
        if (string.IsNullOrEmpty(host))
        {
            error = "host is missing";
            return false;
        }
        rawPathAndQuery ??= "";
        if (HasControlOrSpace(host) || HasControlOrSpace(rawPathAndQuery))
        {
            error = "URL contains whitespace or control characters";
            return false;
        }
        // A host header must be an authority only; anything that would start a path is an attempt to smuggle one.
        if (host.AsSpan().IndexOfAny('/', '?', '#') >= 0 || host.Contains('\\', StringComparison.Ordinal))
        {
            error = "host contains illegal characters";
            return false;
        }
        if (rawPathAndQuery.Length > 0 && rawPathAndQuery[0] != '/')
        {
            error = "URI must start with '/'";
            return false;
        }
        return TryBuild(scheme, host, rawPathAndQuery, method, requestTarget: true, out target, out error);
    }

    /// <summary>The canonical URL, for logs and redirects.</summary>
    public override string ToString()
    {
        var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        var port = Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "";
        return $"{Scheme}://{host}{port}{PathAndQuery}";
    }

    // Records compare every field; the query cache must not take part.
    public bool Equals(AccessTarget? other) =>
        other is not null && Scheme == other.Scheme && Host == other.Host && Port == other.Port
        && Path == other.Path && Query == other.Query && Method == other.Method;

    public override int GetHashCode() => HashCode.Combine(Scheme, Host, Port, Path, Query, Method);

    private static bool TryBuild(string scheme, string authority, string pathAndQuery, string method, bool requestTarget, out AccessTarget target, out string error)
    {
        target = null!;
        if (!IsValidMethod(method))
        {
            error = "method must be upper-case letters A-Z";
            return false;
        }
        if (!TryCanonicalHost(authority, out var host, out var port, out error))
        {
            return false;
        }
        var fragment = pathAndQuery.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            if (requestTarget)
            {
                error = "a request target cannot contain '#'";
                return false;
            }
            pathAndQuery = pathAndQuery[..fragment];
        }
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? pathAndQuery : pathAndQuery[..q];
        var query = q < 0 ? "" : pathAndQuery[(q + 1)..];
        if (!TryCanonicalPath(rawPath, out var path, out error))
        {
            return false;
        }
        target = new AccessTarget(scheme.ToLowerInvariant(), host, port, path, query, method, PathReadings.Others(rawPath, path));
        error = "";
        return true;
    }

    private static bool TryCanonicalHost(string authority, out string host, out int? port, out string error)
    {
        host = "";
        port = null;
        error = "";
        if (authority.Length == 0)
        {
            error = "host is missing";
            return false;
        }
        if (authority.Contains('@', StringComparison.Ordinal))
        {
            error = "URL must not contain user information";
            return false;
        }
        string name;
        string portText;
        if (authority[0] == '[')
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            var inner = close < 0 ? "" : authority[1..close];
            // Zone ids (%eth0) have no meaning to a remote backend.
            if (close < 0 || inner.Contains('%', StringComparison.Ordinal)
                || !IPAddress.TryParse(inner, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = "host is not a valid IPv6 literal";
                return false;
            }
            var after = authority[(close + 1)..];
            if (after.Length > 0 && after[0] != ':')
            {
                error = "host contains illegal characters";
                return false;
            }
            host = v6.ToString();
            portText = after.Length > 0 ? after[1..] : "";
            return TryPort(portText, out port, out error);
        }
        var colon = authority.LastIndexOf(':');
        if (colon >= 0 && authority.IndexOf(':', StringComparison.Ordinal) != colon)
        {
            error = "IPv6 host must be in brackets";
            return false;
        }
        name = colon < 0 ? authority : authority[..colon];
        portText = colon < 0 ? "" : authority[(colon + 1)..];
        if (!TryPort(portText, out port, out error))
        {
            return false;
        }
        // One trailing dot names the same (fully-qualified) host.
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }
        name = name.ToLowerInvariant();
        if (!Ascii.IsValid(name))
        {
            try
            {
                name = Idn.GetAscii(name);
            }
            catch (ArgumentException)
            {
                error = "host is not a valid internationalised domain name";
                return false;
            }
        }
        if (!IsValidHostName(name))
        {
            error = "host contains illegal characters";
            return false;
        }
        if (!HasValidPunycode(name))
        {
            error = "host is not a valid internationalised domain name";
            return false;
        }
        host = name;
        return true;
    }

    /// <summary>
    /// False when a label starts with <c>xn--</c> (any case) but is not the punycode of a name: ASP.NET Core's
    /// <c>HttpRequest.Host</c> decodes such labels and throws, and no browser would send one.
    /// </summary>
    internal static bool HasValidPunycode(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        foreach (var range in host.AsSpan().Split('.'))
        {
            var label = host[range];
            if (!label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            string unicode;
            try
            {
                unicode = Idn.GetUnicode(label);
            }
            catch (ArgumentException)
            {
                return false;
            }
            // Punycode that decodes to plain ASCII or control characters, or does not encode back to itself, is a
            // second spelling of some other label.
            if (Ascii.IsValid(unicode) || unicode.Any(char.IsControl)
                || !string.Equals(SafeGetAscii(unicode), label, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        return true;
    }

    private static string? SafeGetAscii(string unicode)
    {
        try
        {
            return Idn.GetAscii(unicode);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool TryPort(string text, out int? port, out string error)
    {
        port = null;
        error = "";
        if (text.Length == 0)
        {
            return true; // "host:" is tolerated, as by Go's URL parser.
        }
        if (text.Length > 5 || !text.All(char.IsAsciiDigit)
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 65535)
        {
            error = "port is invalid";
            return false;
        }
        port = value;
        return true;
    }

    private static bool IsValidHostName(string name)
    {
        if (name.Length is 0 or > 253)
        {
            return false;
        }
        var labelLength = 0;
        foreach (var c in name)
        {
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return false;
                }
                labelLength = 0;
                continue;
            }
            // Underscores are not legal in DNS host names but are common on internal networks.
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_') || ++labelLength > 63)
            {
                return false;
            }
        }
        return labelLength > 0;
    }

    private static bool TryCanonicalPath(string rawPath, out string path, out string error)
    {
        path = "/";
        error = "";
        if (rawPath.Length == 0)
        {
            return true;
        }
        if (!PercentDecoding.TryDecode(rawPath, out var decoded, out var decodeError))
        {
            error = "path " + decodeError;
            return false;
        }
        if (HasControl(decoded))
        {
            error = "path contains control characters";
            return false;
        }

        // Backslash is a separator too: several backends (IIS, some Node and Java stacks) treat it as one.
        var segments = decoded.Split('/', '\\');
        var stack = new List<string>(segments.Length);
        var trailingSlash = false;
        foreach (var raw in segments)
        {
            // Servlet containers ignore ";params" per segment, so "/admin;x" and "/..;/" must be read as they do.
            var semi = raw.IndexOf(';', StringComparison.Ordinal);
            var segment = semi < 0 ? raw : raw[..semi];
            trailingSlash = segment.Length == 0;
            switch (segment)
            {
                case "" or ".":
                    break;
                case "..":
                    if (stack.Count > 0)
                    {
                        stack.RemoveAt(stack.Count - 1);
                    }
                    break;
                default:
                    stack.Add(segment);
                    break;
            }
        }
        if (stack.Count == 0)
        {
            return true;
        }
        var sb = new StringBuilder(decoded.Length + 1);
        foreach (var segment in stack)
        {
            sb.Append('/').Append(segment);
        }
        if (trailingSlash)
        {
            sb.Append('/');
        }
        path = sb.ToString();
        return true;
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&'))
        {
            // Go rejects ';' as a separator since 1.17 and drops such pairs; do the same so both agree.
            if (pair.Length == 0 || pair.Contains(';', StringComparison.Ordinal))
            {
                continue;
            }
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var rawKey = eq < 0 ? pair : pair[..eq];
            var rawValue = eq < 0 ? "" : pair[(eq + 1)..];
            if (TryQueryUnescape(rawKey, out var key) && TryQueryUnescape(rawValue, out var value))
            {
                result.TryAdd(key, value);
            }
        }
        return result;
    }

    private static bool TryQueryUnescape(string s, out string value)
    {
        value = s;
        if (s.AsSpan().IndexOfAny('%', '+') < 0)
        {
            return true;
        }
        var bytes = Encoding.UTF8.GetBytes(s);
        var length = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == '+')
            {
                b = (byte)' ';
            }
            else if (b == '%')
            {
                if (i + 2 >= bytes.Length || !IsHex(bytes[i + 1]) || !IsHex(bytes[i + 2]))
                {
                    return false;
                }
                b = (byte)((HexValue(bytes[i + 1]) << 4) | HexValue(bytes[i + 2]));
                i += 2;
            }
            bytes[length++] = b;
        }
        value = Encoding.UTF8.GetString(bytes, 0, length);
        return true;
    }

    private static bool IsValidScheme(ReadOnlySpan<char> scheme)
    {
        if (scheme.Length == 0 || !char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }
        foreach (var c in scheme)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsValidMethod(string? method)
    {
        if (string.IsNullOrEmpty(method))
        {
            return false;
        }
        foreach (var c in method)
        {
            if (!char.IsAsciiLetterUpper(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool HasControlOrSpace(string s)
    {
        foreach (var c in s)
        {
            if (c <= ' ' || c == '\u007f' || (c >= '\u0080' && c <= '\u009f'))
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasControl(string s)
    {
        foreach (var c in s)
        {
            if (c < ' ' || c == '\u007f' || (c >= '\u0080' && c <= '\u009f'))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        _ => b - 'A' + 10,
    };
}
