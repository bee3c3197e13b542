using Microsoft.Extensions.Primitives;
using Portal.AccessControl;

namespace Portal.ForwardAuth;

/// <summary>
/// Turns a forward-auth call into the <see cref="AccessTarget"/> it asks about. Kept apart from the decision so
/// each proxy's headers are parsed in one place and the rules never see raw headers. A header sent twice is an
/// error, not "take the first": two proxies disagreeing about the target is exactly how rules get bypassed.
/// </summary>
internal static class AuthzRequestParser
{
    public static bool TryParse(AuthzImplementation implementation, IHeaderDictionary headers, string requestMethod, string requestPathAndQuery, string requestHost,
        out AccessTarget target, out string error)
    {
        target = null!;
        switch (implementation)
        {
            case AuthzImplementation.ForwardAuth:
                return TryForwardedParts(headers, requireMethod: true, fallbackHost: null, fallbackUri: null, fallbackMethod: null, out target, out error);
            case AuthzImplementation.AuthRequest:
                if (!TrySingle(headers, "X-Original-URL", out var url, out error) || !TrySingle(headers, "X-Original-Method", out var method, out error))
                {
                    return false;
                }
                return AccessTarget.TryCreateRequested(url, method, out target, out error);
            case AuthzImplementation.Legacy:
                if (headers.ContainsKey("X-Original-URL"))
                {
                    if (!TrySingle(headers, "X-Original-URL", out var legacyUrl, out error))
                    {
                        return false;
                    }
                    var legacyMethod = Optional(headers, "X-Forwarded-Method", out error) ?? requestMethod;
                    if (error.Length > 0 || !AccessTarget.TryCreateRequested(legacyUrl, legacyMethod, out target, out error))
                    {
                        return false;
                    }
                    return AgreesWithForwardedTarget(headers, target, requestMethod, out error);
                }
                return TryForwardedParts(headers, requireMethod: false, requestHost, requestPathAndQuery, requestMethod, out target, out error);
            default:
                error = "unknown implementation";
                return false;
        }
    }

    /// <summary>
    /// A proxy that passes client headers through (Traefik's forwardAuth) writes X-Forwarded-* itself but leaves a
    /// client's X-Original-URL alone, so when both name a complete target and they differ, neither is believed.
    /// Without X-Forwarded-Uri (nginx configs often set only Proto and Host) there is nothing to compare.
    /// </summary>
    private static bool AgreesWithForwardedTarget(IHeaderDictionary headers, AccessTarget original, string requestMethod, out string error)
    {
        error = "";
        static bool Present(IHeaderDictionary h, string name) => h.TryGetValue(name, out var v) && v.Any(x => !string.IsNullOrEmpty(x));
        if (!Present(headers, "X-Forwarded-Proto") || !Present(headers, "X-Forwarded-Host") || !Present(headers, "X-Forwarded-Uri"))
        {
            return true;
        }
        if (!TryForwardedParts(headers, requireMethod: false, fallbackHost: null, fallbackUri: null, requestMethod, out var forwarded, out var forwardedError))
        {
            error = $"X-Original-URL is set but the X-Forwarded-* target is unusable: {forwardedError}";
            return false;
        }
        // Equal canonical targets can still be spelled so that apps read them differently: compare every reading.
        if (!original.Equals(forwarded) || !original.Readings.Select(r => r.Path).SequenceEqual(forwarded.Readings.Select(r => r.Path)))
        {
            error = $"X-Original-URL ({original}) and X-Forwarded-* ({forwarded}) name different targets";
            return false;
        }
        return true;
    }

    private static bool TryForwardedParts(IHeaderDictionary headers, bool requireMethod, string? fallbackHost, string? fallbackUri, string? fallbackMethod,
        out AccessTarget target, out string error)
    {
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

    private static bool TrySingle(IHeaderDictionary headers, string name, out string value, out string error)
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
    private static string? Optional(IHeaderDictionary headers, string name, out string error)
    {
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
}
