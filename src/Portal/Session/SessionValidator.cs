using System.Globalization;
using System.Net;
using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.Session;

/// <summary>
/// Checks the <c>session</c> section (Authelia's <c>validator/session.go</c>), reporting every problem with its
/// YAML path so the admin can fix them all in one go.
/// </summary>
internal static class SessionValidator
{
    private const string Section = "session";

    /// <summary>
    /// Registrable suffixes a cookie domain may not be: browsers reject cookies scoped to them, and accepting one
    /// would mean a session shared with every site under it. Not the full Public Suffix List, just the ones a
    /// homelab admin is likely to type by mistake.
    /// </summary>
    private static readonly HashSet<string> PublicSuffixes = new(StringComparer.OrdinalIgnoreCase)
    {
        "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "name", "pro",
        "io", "co", "me", "tv", "cc", "ai", "dev", "app", "page", "xyz", "online", "site", "tech", "cloud",
        "home", "lan", "local", "internal", "localhost", "arpa", "home.arpa",
        "uk", "co.uk", "org.uk", "me.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk",
        "de", "fr", "nl", "be", "at", "ch", "it", "es", "pt", "se", "no", "dk", "fi", "pl", "cz", "ie", "eu", "ru",
        "us", "ca", "au", "com.au", "net.au", "org.au", "nz", "co.nz", "jp", "co.jp", "cn", "com.cn",
        "in", "co.in", "br", "com.br", "za", "co.za",
        "github.io", "gitlab.io", "duckdns.org", "ddns.net", "dynu.net", "no-ip.org", "freeddns.org",
        "nip.io", "sslip.io", "netlify.app", "pages.dev", "workers.dev", "herokuapp.com", "vercel.app",
    };

    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        var session = options.Session;

        ValidateName(diag, Section, session.Name, required: true);
        ValidateSameSite(diag, Section, session.SameSite);
        ValidatePositive(diag, Section, "expiration", session.Expiration);
        ValidatePositive(diag, Section, "inactivity", session.Inactivity);
        ValidateRememberMe(diag, Section, session.RememberMe);

        if (session.Cookies.Count == 0)
        {
            diag.Error(Section, "cookies", "is required: configure at least one cookie domain");
        }
        var domains = new string?[session.Cookies.Count];
        for (var i = 0; i < session.Cookies.Count; i++)
        {
            domains[i] = ValidateCookie(diag, session.Cookies[i], CookiePath(i), options);
        }
        ValidateNoOverlap(diag, domains);

        if (session.Redis is { } redis)
        {
            if (string.IsNullOrEmpty(session.Secret))
            {
                diag.Error(Section, "secret", "is required when using the 'redis' provider");
            }
            ValidateRedis(diag, redis);
        }
    }

    private static string CookiePath(int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{Section}.cookies[{index}]");

    /// <summary>Validates one entry; returns its normalised domain when the domain itself is usable.</summary>
    private static string? ValidateCookie(ConfigDiagnostics diag, SessionCookieOptions cookie, string path, PortalOptions options)
    {
        var domain = ValidateDomain(diag, path, cookie.Domain);

        // Optional as in Authelia: without it the forward-auth and auth-request callers must pass ?authelia_url=, and
        // /api/verify answers a plain 401 unless given rd.
        var autheliaUrl = ValidateUrl(diag, path, "authelia_url", cookie.AutheliaUrl, domain, required: false, options);
        var redirectUrl = ValidateUrl(
            diag, path, "default_redirection_url", cookie.DefaultRedirectionUrl, domain, required: false, options);
        if (autheliaUrl is not null && redirectUrl is not null && autheliaUrl == redirectUrl)
        {
            diag.Error(path, "default_redirection_url", "must not be the same as 'authelia_url'");
        }

        if (cookie.Name is not null)
        {
            ValidateName(diag, path, cookie.Name, required: false);
        }
        if (cookie.SameSite is not null)
        {
            ValidateSameSite(diag, path, cookie.SameSite);
        }
        if (cookie.Expiration is { } expiration)
        {
            ValidatePositive(diag, path, "expiration", expiration);
        }
        if (cookie.Inactivity is { } inactivity)
        {
            ValidatePositive(diag, path, "inactivity", inactivity);
        }
        if (cookie.RememberMe is { } rememberMe)
        {
            ValidateRememberMe(diag, path, rememberMe);
        }
        return domain;
    }

    private static string? ValidateDomain(ConfigDiagnostics diag, string path, string raw)
    {
        var domain = raw.Trim();
        if (domain.Length == 0)
        {
            diag.Error(path, "domain", "is required");
            return null;
        }
        if (domain.StartsWith("*.", StringComparison.Ordinal))
        {
            diag.Error(path, "domain", $"must not start with '*.' ('{domain}'): a cookie domain already covers its subdomains");
            return null;
        }
        if (domain.StartsWith('.'))
        {
            diag.Warning(path, "domain", $"has a leading '.' ('{domain}'), which is ignored");
            domain = domain.TrimStart('.');
        }
        if (IPAddress.TryParse(domain, out _))
        {
            return domain.ToLowerInvariant();
        }
        if (domain.Contains(':', StringComparison.Ordinal) || domain.Contains('/', StringComparison.Ordinal))
        {
            diag.Error(path, "domain", $"must be a bare domain without scheme, port or path ('{domain}')");
            return null;
        }
        if (!domain.Contains('.', StringComparison.Ordinal))
        {
            diag.Error(path, "domain", $"is not a valid cookie domain ('{domain}'): it must have at least one period or be an IP address");
            return null;
        }
        if (PublicSuffixes.Contains(domain))
        {
            diag.Error(path, "domain", $"is a public suffix ('{domain}'): use a domain you own under it");
            return null;
        }
        return domain.ToLowerInvariant();
    }

    private static Uri? ValidateUrl(
        ConfigDiagnostics diag, string path, string key, string value, string? domain, bool required, PortalOptions options)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                diag.Error(path, key, "is required");
            }
            return null;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
        {
            diag.Error(path, key, $"must be an absolute URL ('{value}')");
            return null;
        }
        // Plain http only for the localhost demo: a loopback name with every listener on loopback (LoopbackHttp).
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && LoopbackHttp.Allows(options, uri)))
        {
            diag.Error(path, key, $"must use the 'https' scheme ('{value}')");
            return null;
        }
        if (domain is not null && !IsWithin(uri.IdnHost, domain))
        {
            diag.Error(path, key, $"must be on the cookie domain '{domain}' or a subdomain of it ('{value}')");
            return null;
        }
        return uri;
    }

    /// <summary>Two entries may not both match one host: which cookie applies would depend on their order.</summary>
    private static void ValidateNoOverlap(ConfigDiagnostics diag, string?[] domains)
    {
        for (var j = 0; j < domains.Length; j++)
        {
            for (var i = 0; i < j; i++)
            {
                if (domains[i] is { } a && domains[j] is { } b && (IsWithin(a, b) || IsWithin(b, a)))
                {
                    diag.Error(CookiePath(j), "domain", string.Create(CultureInfo.InvariantCulture,
                        $"overlaps with session.cookies[{i}] ('{a}'): cookie domains must not share a scope ('{b}')"));
                }
            }
        }
    }

    private static void ValidateRedis(ConfigDiagnostics diag, RedisOptions redis)
    {
        const string path = "session.redis";
        if (string.IsNullOrWhiteSpace(redis.Host))
        {
            diag.Error(path, "host", "is required");
        }
        else if (!Path.IsPathRooted(redis.Host) && redis.EffectivePort() is < 1 or > 65535)
        {
            diag.Error(path, "port", string.Create(CultureInfo.InvariantCulture,
                $"must be between 1 and 65535 but is '{redis.EffectivePort()}'"));
        }
        if (redis.HighAvailability is { } ha)
        {
            ValidateHighAvailability(diag, redis, ha);
        }
        if (redis.DatabaseIndex < 0)
        {
            diag.Error(path, "database_index", string.Create(CultureInfo.InvariantCulture,
                $"must be 0 or more but is '{redis.DatabaseIndex}'"));
        }
        if (redis.MaxRetries < 0)
        {
            diag.Error(path, "max_retries", "must be 0 or more");
        }
        ValidatePositive(diag, path, "timeout", redis.Timeout);
        if (redis.Tls is { } tls &&
            !string.Equals(tls.MinimumVersion, "TLS1.2", StringComparison.OrdinalIgnoreCase) &&
            !string.Equals(tls.MinimumVersion, "TLS1.3", StringComparison.OrdinalIgnoreCase))
        {
            diag.Error("session.redis.tls", "minimum_version",
                $"must be one of 'TLS1.2', 'TLS1.3' but is '{tls.MinimumVersion}'");
        }
    }

    private static void ValidateHighAvailability(ConfigDiagnostics diag, RedisOptions redis, RedisHighAvailabilityOptions ha)
    {
        const string path = "session.redis.high_availability";
        if (string.IsNullOrWhiteSpace(ha.SentinelName))
        {
            diag.Error(path, "sentinel_name", "is required");
        }
        if (Path.IsPathRooted(redis.Host))
        {
            diag.Error("session.redis", "host", "must be a Sentinel's host name or address, not a unix socket, when 'high_availability' is set");
        }
        if (ha.SentinelUsername.Length > 0 && ha.SentinelPassword.Length == 0)
        {
            diag.Error(path, "sentinel_password", "is required when 'sentinel_username' is set");
        }
        for (var i = 0; i < ha.Nodes.Count; i++)
        {
            var node = ha.Nodes[i];
            var nodePath = string.Create(CultureInfo.InvariantCulture, $"{path}.nodes[{i}]");
            if (string.IsNullOrWhiteSpace(node.Host))
            {
                diag.Error(nodePath, "host", "is required");
            }
            else if (Path.IsPathRooted(node.Host))
            {
                diag.Error(nodePath, "host", "must be a host name or address, not a unix socket");
            }
            if (node.Port is < 1 or > 65535)
            {
                diag.Error(nodePath, "port", string.Create(CultureInfo.InvariantCulture, $"must be between 1 and 65535 but is '{node.Port}'"));
            }
        }
        if (ha.RouteByLatency || ha.RouteRandomly)
        {
            diag.Warning(path, ha.RouteByLatency ? "route_by_latency" : "route_randomly",
                "is ignored: sessions are read from the primary while it answers, as a replica may not have seen a logout yet");
        }
    }

    private static void ValidateSameSite(ConfigDiagnostics diag, string path, string value)
    {
        if (value is not ("lax" or "strict" or "none"))
        {
            diag.Error(path, "same_site", $"must be one of 'lax', 'strict', 'none' but is '{value}'");
        }
    }

    /// <summary>RFC 6265 cookie-name: an HTTP token.</summary>
    private static void ValidateName(ConfigDiagnostics diag, string path, string value, bool required)
    {
        if (value.Length == 0)
        {
            if (required)
            {
                diag.Error(path, "name", "is required");
            }
            return;
        }
        foreach (var c in value)
        {
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal))
            {
                diag.Error(path, "name", $"must be a valid cookie name ('{value}')");
                return;
            }
        }
    }

    private static void ValidatePositive(ConfigDiagnostics diag, string path, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            diag.Error(path, key, "must be a positive duration");
        }
    }

    private static void ValidateRememberMe(ConfigDiagnostics diag, string path, TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            diag.Error(path, "remember_me", "must be a positive duration, or -1 to disable remember me");
        }
    }

    private static bool IsWithin(string host, string domain) =>
        host.Equals(domain, StringComparison.OrdinalIgnoreCase) ||
        host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);
}
