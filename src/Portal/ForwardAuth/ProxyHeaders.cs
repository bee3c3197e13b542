using Microsoft.Extensions.Primitives;
using Portal.AccessControl;

namespace Portal.ForwardAuth;

/// <summary>
/// Reading the target headers proxies send, shared by the profiles. A header sent twice is an error, not "take the
/// first": two proxies disagreeing about the target is exactly how rules get bypassed.
/// </summary>
internal static class ProxyHeaders
{
    /// <summary>The target from <c>X-Forwarded-Proto/Host/Uri/Method</c>, each falling back as given when absent.</summary>
    public static bool TryForwardedParts(IHeaderDictionary headers, bool requireMethod, string? fallbackHost, string? fallbackUri, string? fallbackMethod,
        out AccessTarget target, out string error)
    {
        ArgumentNullException.ThrowIfNull(headers);
        target = null!;
        var proto = Optional(headers, "X-Forwarded-Proto", out error);
        if (error.Length > 0)
        {
            return false;
        }
        var host = Optional(headers, "X-Forwarded-Host", out error) ?? fallbackHost;
        if (error.Length > 0)
        {
            return false;
        }
        var uri = Optional(headers, "X-Forwarded-Uri", out error) ?? fallbackUri;
        if (error.Length > 0)
        {
            return false;
        }
        var method = Optional(headers, "X-Forwarded-Method", out error) ?? fallbackMethod;
        if (error.Length > 0)
        {
            return false;
        }
        if (string.IsNullOrEmpty(host))
        {
            error = "missing X-Forwarded-Host";
            return false;
        }
        if (string.IsNullOrEmpty(method))
        {
            error = requireMethod ? "missing X-Forwarded-Method" : "missing method";
            return false;
        }
        // Without a forwarded scheme the portal's own (plain http behind a proxy) applies, which the https check refuses.
        return AccessTarget.TryCreate(string.IsNullOrEmpty(proto) ? "http" : proto, host, string.IsNullOrEmpty(uri) ? "/" : uri, method, out target, out error);
    }

    /// <summary>The header's single, non-empty value; an error when absent, empty or repeated.</summary>
    public static bool TrySingle(IHeaderDictionary headers, string name, out string value, out string error)
    {
        value = Optional(headers, name, out error) ?? "";
        if (error.Length > 0)
        {
            return false;
        }
        if (value.Length == 0)
        {
            error = $"missing {name}";
            return false;
        }
        return true;
    }

    /// <summary>The header's single value; null when absent; an error when repeated.</summary>
    public static string? Optional(IHeaderDictionary headers, string name, out string error)
    {
        ArgumentNullException.ThrowIfNull(headers);
        error = "";
        if (!headers.TryGetValue(name, out StringValues values) || values.Count == 0)
        {
            return null;
        }
        if (values.Count > 1)
        {
            error = $"{name} was sent more than once";
            return null;
        }
        return values[0];
    }

    /// <summary>Sent with at least one non-empty value.</summary>
    public static bool Present(IHeaderDictionary headers, string name)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.TryGetValue(name, out var values) && values.Any(v => !string.IsNullOrEmpty(v));
    }
}
