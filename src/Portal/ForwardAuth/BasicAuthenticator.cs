using System.Text;
using Portal.Regulation;
using Portal.Session;
using Portal.Users;

namespace Portal.ForwardAuth;

/// <summary>
/// Basic credentials, in the header its strategy names (Authelia's <c>HeaderAuthorization</c>,
/// <c>HeaderProxyAuthorization</c>, <c>HeaderAuthRequestProxyAuthorization</c>, <c>HeaderLegacy</c>). Regulated like
/// the login form; with <c>scheme_basic_cache_lifespan</c> a verified credential is remembered so argon2 is not
/// recomputed per request.
/// </summary>
internal sealed class BasicAuthenticator(AuthnStrategy strategy, IUserProvider users, RegulatedCredential regulated, BasicCredentialCache cache) : IAuthzAuthenticator
{
    private const string Realm = "Basic realm=\"Authorization Required\"";

    private static readonly AuthzReply WwwAuthenticate =
        new(401, [new("WWW-Authenticate", Realm)], "401 Unauthorized", "text/plain; charset=utf-8");

    private static readonly AuthzReply ProxyAuthenticate =
        new(407, [new("Proxy-Authenticate", Realm)], "407 Proxy Authentication Required", "text/plain; charset=utf-8");

    /// <summary>Only <c>HeaderProxyAuthorization</c> answers 407; the others 401 (nginx passes only 401 on).</summary>
    private AuthzReply Challenge => strategy.Kind == AuthnStrategyKind.HeaderProxyAuthorization ? ProxyAuthenticate : WwwAuthenticate;

    private AuthnResult Refused => new(null, null, Challenge);

    public async Task<AuthnResult?> AuthenticateAsync(AuthzRequest request, SessionManager manager, ICollection<string> setCookies, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        // HeaderLegacy with ?auth=basic reads Authorization and then requires it; otherwise Proxy-Authorization.
        var (header, required) = strategy.Kind switch
        {
            AuthnStrategyKind.HeaderAuthorization => (request.Authorization, false),
            AuthnStrategyKind.HeaderLegacy when request.BasicDemanded => (request.Authorization, true),
            _ => (request.ProxyAuthorization, false),
        };
        if (header.Length == 0 || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            // Absent, or a scheme this strategy does not take: the next strategy decides (unless ?auth=basic demanded it).
            return required ? Refused : null;
        }
        if (!TryDecode(header[6..].Trim(), out var login, out var password))
        {
            return Refused;
        }

        var canonical = Usernames.Canonical(users, login);
        var target = request.Target;
        var check = await regulated.CheckAsync(
            new CredentialAttempt(canonical, request.ClientIp, AuthenticationTypes.OneFactor, target.ToString(), target.Method, regulated.Delays.Basic)
            {
                Remembered = () => cache.TryGet(login, password),
            },
            _ => ValueTask.FromResult(CredentialVerdict.Of(users.CheckPassword(login, password))),
            ct);
        if (!check.Succeeded)
        {
            return Refused;
        }
        if (!check.Remembered)
        {
            cache.Add(login, password, canonical, strategy.BasicCacheLifespan);
        }
        var user = users.GetDetails(check.Username);
        // Basic credentials are a password: one factor, never a passkey.
        return user is null ? Refused : new AuthnResult(user, new AuthenticationMethods { UsernameAndPassword = true }, Challenge);
    }

    private static bool TryDecode(string encoded, out string login, out string password)
    {
        login = password = "";
        Span<byte> buffer = stackalloc byte[1024];
        if (encoded.Length > 1360 || !Convert.TryFromBase64String(encoded, buffer, out var written))
        {
            return false;
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(buffer[..written]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }
        login = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }
}
