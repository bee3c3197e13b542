namespace Portal.Configuration;

/// <summary>
/// The whole configuration file, in Authelia's key names. Property names map to snake_case keys
/// (<c>AutheliaUrl</c> → <c>authelia_url</c>) unless a <see cref="ConfigKeyAttribute"/> says otherwise.
/// Defaults live here, never in handlers.
/// </summary>
internal sealed class PortalOptions
{
    public ServerOptions Server { get; set; } = new();
    public LogOptions Log { get; set; } = new();
    public AuthenticationBackendOptions AuthenticationBackend { get; set; } = new();
    public SessionOptions Session { get; set; } = new();
    public StorageOptions Storage { get; set; } = new();
    public NotifierOptions Notifier { get; set; } = new();
    public DefinitionsOptions Definitions { get; set; } = new();
    public AccessControlOptions AccessControl { get; set; } = new();
    public RegulationOptions Regulation { get; set; } = new();
    [ConfigKey("webauthn")]
    public WebAuthnOptions WebAuthn { get; set; } = new();
    public IdentityValidationOptions IdentityValidation { get; set; } = new();
    public GatewayOptions Gateway { get; set; } = new();
}

internal sealed class ServerOptions
{
    /// <summary>Listen address in Authelia's form: <c>tcp://host:port/path</c>.</summary>
    public string Address { get; set; } = "tcp://:9091/";

    /// <summary>
    /// Peers whose <c>X-Forwarded-*</c> headers are believed. Requests from any other peer have those headers
    /// ignored, and forward-auth calls from them are refused.
    /// </summary>
    public List<string> TrustedProxies { get; set; } =
        ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

    public ServerTlsOptions Tls { get; set; } = new();
    public bool DisableHealthcheck { get; set; }
    public ServerTimeoutsOptions Timeouts { get; set; } = new();
    public ServerEndpointsOptions Endpoints { get; set; } = new();

    /// <summary>Strict-Transport-Security on the answers Portal writes itself (portal and gateway) over https.</summary>
    public HstsOptions Hsts { get; set; } = new();
}

internal sealed class ServerEndpointsOptions
{
    /// <summary>
    /// Authelia's <c>server.endpoints.authz</c>: named authz endpoints (<c>/api/authz/&lt;name&gt;</c>, <c>legacy</c> is
    /// <c>/api/verify</c>). Empty means Authelia's three defaults; any entry replaces them all.
    /// </summary>
    public Dictionary<string, AuthzEndpointOptions> Authz { get; set; } = [];
}

internal sealed class AuthzEndpointOptions
{
    /// <summary><c>ForwardAuth</c>, <c>AuthRequest</c> or <c>Legacy</c> (<c>ExtAuthz</c> is not supported).</summary>
    public string Implementation { get; set; } = "";
    /// <summary>Tried in order; empty means the implementation's defaults.</summary>
    public List<AuthnStrategyOptions> AuthnStrategies { get; set; } = [];
}

internal sealed class AuthnStrategyOptions
{
    public string Name { get; set; } = "";
    /// <summary>For header strategies: <c>basic</c> (Authelia's default; <c>bearer</c> is not supported).</summary>
    public List<string> Schemes { get; set; } = [];
    /// <summary>How long a verified basic credential is remembered (HMAC-keyed); 0, Authelia's default, is off.</summary>
    public TimeSpan SchemeBasicCacheLifespan { get; set; }
}

internal sealed class HstsOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>How long browsers keep to https; 0 tells them to forget an earlier policy.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(365);

    public bool IncludeSubdomains { get; set; }
}

internal sealed class ServerTlsOptions
{
    public string Certificate { get; set; } = "";
    public string Key { get; set; } = "";
}

internal sealed class ServerTimeoutsOptions
{
    public TimeSpan Read { get; set; } = TimeSpan.FromSeconds(6);
    public TimeSpan Write { get; set; } = TimeSpan.FromSeconds(6);
    public TimeSpan Idle { get; set; } = TimeSpan.FromSeconds(30);
}

internal sealed class LogOptions
{
    public string Level { get; set; } = "info";
    public string Format { get; set; } = "text";
    public string FilePath { get; set; } = "";
    public bool KeepStdout { get; set; }
}

internal sealed class AuthenticationBackendOptions
{
    /// <summary>A duration, or <c>always</c> / <c>disable</c>, as Authelia accepts.</summary>
    public string RefreshInterval { get; set; } = "5m";
    public FileBackendOptions File { get; set; } = new();
    public DisableOption PasswordReset { get; set; } = new() { Disable = true };
    public DisableOption PasswordChange { get; set; } = new() { Disable = true };
}

internal sealed class DisableOption
{
    public bool Disable { get; set; }
}

internal sealed class FileBackendOptions
{
    public string Path { get; set; } = "";
    public bool Watch { get; set; }
    public FileSearchOptions Search { get; set; } = new();
    public PasswordHashOptions Password { get; set; } = new();
}

internal sealed class FileSearchOptions
{
    public bool Email { get; set; }
    public bool CaseInsensitive { get; set; }
}

internal sealed class PasswordHashOptions
{
    public string Algorithm { get; set; } = "argon2";
    public Argon2Options Argon2 { get; set; } = new();
}

/// <summary>Authelia's argon2 defaults: argon2id, t=3, m=64 MiB, p=4, 32-byte key, 16-byte salt.</summary>
internal sealed class Argon2Options
{
    public string Variant { get; set; } = "argon2id";
    public int Iterations { get; set; } = 3;
    public int Memory { get; set; } = 65536;
    public int Parallelism { get; set; } = 4;
    public int KeyLength { get; set; } = 32;
    public int SaltLength { get; set; } = 16;
}

internal sealed class SessionOptions
{
    /// <summary>Encrypts session payloads at rest; required with Redis.</summary>
    public string Secret { get; set; } = "";
    public string Name { get; set; } = "authelia_session";
    public string SameSite { get; set; } = "lax";
    public TimeSpan Expiration { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan Inactivity { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>A negative value (<c>-1</c>) disables "remember me".</summary>
    public TimeSpan RememberMe { get; set; } = TimeSpan.FromDays(30);
    public List<SessionCookieOptions> Cookies { get; set; } = [];
    public RedisOptions? Redis { get; set; }
}

/// <summary>One protected cookie domain. Unset values inherit from <see cref="SessionOptions"/>.</summary>
internal sealed class SessionCookieOptions
{
    public string Domain { get; set; } = "";
    public string AutheliaUrl { get; set; } = "";
    public string DefaultRedirectionUrl { get; set; } = "";
    public string? Name { get; set; }
    public string? SameSite { get; set; }
    public TimeSpan? Expiration { get; set; }
    public TimeSpan? Inactivity { get; set; }
    public TimeSpan? RememberMe { get; set; }
}

internal sealed class RedisOptions
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 6379;
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    public int DatabaseIndex { get; set; }
    public int MaximumActiveConnections { get; set; } = 8;
    public int MinimumIdleConnections { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
    public int MaxRetries { get; set; }
    public TlsClientOptions? Tls { get; set; }
}

internal sealed class TlsClientOptions
{
    public string ServerName { get; set; } = "";
    public bool SkipVerify { get; set; }
    public string MinimumVersion { get; set; } = "TLS1.2";
}

internal sealed class StorageOptions
{
    public string EncryptionKey { get; set; } = "";
    public LocalStorageOptions? Local { get; set; }
}

internal sealed class LocalStorageOptions
{
    public string Path { get; set; } = "";
}

internal sealed class NotifierOptions
{
    public bool DisableStartupCheck { get; set; }
    public string TemplatePath { get; set; } = "";
    public FileSystemNotifierOptions? Filesystem { get; set; }
    public SmtpNotifierOptions? Smtp { get; set; }
}

internal sealed class FileSystemNotifierOptions
{
    public string Filename { get; set; } = "";
}

internal sealed class SmtpNotifierOptions
{
    public string Address { get; set; } = "smtp://localhost:25";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    public string Identifier { get; set; } = "localhost";
    public string Sender { get; set; } = "";
    public string Subject { get; set; } = "[Portal] {title}";
    public string StartupCheckAddress { get; set; } = "Portal Test <test@portal.invalid>";
    public bool DisableRequireTls { get; set; }
    public bool DisableHtmlEmails { get; set; }
    public bool DisableStarttls { get; set; }
    public TlsClientOptions Tls { get; set; } = new();
}

internal sealed class DefinitionsOptions
{
    /// <summary>Named networks: name → list of IPs or CIDRs.</summary>
    public Dictionary<string, List<string>> Network { get; set; } = new(StringComparer.Ordinal);
}

internal sealed class AccessControlOptions
{
    public string DefaultPolicy { get; set; } = "deny";
    /// <summary>
    /// Beyond Authelia: what the authz endpoints do with a path that common backends read differently
    /// (<c>/secret/..;/public</c>): <c>strictest</c> decides on every reading and takes the strictest, <c>refuse</c>
    /// answers 400.
    /// </summary>
    public string AmbiguousPaths { get; set; } = "strictest";
    /// <summary>Legacy named networks; merged into <c>definitions.network</c>.</summary>
    public List<NamedNetworkOptions> Networks { get; set; } = [];
    public List<AccessControlRuleOptions> Rules { get; set; } = [];
}

internal sealed class NamedNetworkOptions
{
    public string Name { get; set; } = "";
    public List<string> Networks { get; set; } = [];
}

/// <summary>One <c>access_control.rules</c> entry. A scalar is accepted wherever a list is.</summary>
internal sealed class AccessControlRuleOptions
{
    public List<string> Domain { get; set; } = [];
    public List<string> DomainRegex { get; set; } = [];
    public string Policy { get; set; } = "";
    /// <summary>Outer list OR, inner list AND.</summary>
    public List<List<string>> Subject { get; set; } = [];
    public List<string> Networks { get; set; } = [];
    public List<string> Resources { get; set; } = [];
    public List<string> Methods { get; set; } = [];
    /// <summary>Outer list OR, inner list AND.</summary>
    public List<List<AccessControlQueryOptions>> Query { get; set; } = [];
    /// <summary>Beyond Authelia: <c>allow</c> | <c>deny</c>; null follows the global passkey-UV switch.</summary>
    [ConfigKey("passkey_uv_two_factor")]
    public string? PasskeyUvTwoFactor { get; set; }
}

internal sealed class AccessControlQueryOptions
{
    /// <summary>Empty means the default: <c>equal</c> when a value is given, else <c>present</c>.</summary>
    public string Operator { get; set; } = "";
    public string Key { get; set; } = "";
    public string? Value { get; set; }
}

internal sealed class RegulationOptions
{
    public List<string> Modes { get; set; } = ["user"];
    public int MaxRetries { get; set; } = 3;
    public TimeSpan FindTime { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan BanTime { get; set; } = TimeSpan.FromMinutes(5);
}

internal sealed class WebAuthnOptions
{
    public bool Disable { get; set; }
    public bool EnablePasskeyLogin { get; set; }
    [ConfigKey("experimental_enable_passkey_uv_two_factors")]
    public bool ExperimentalEnablePasskeyUvTwoFactors { get; set; }
    public bool ExperimentalEnablePasskeyUpgrade { get; set; }
    public string DisplayName { get; set; } = "Portal";
    public string AttestationConveyancePreference { get; set; } = "indirect";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
    public WebAuthnSelectionCriteriaOptions SelectionCriteria { get; set; } = new();
    public WebAuthnFilteringOptions Filtering { get; set; } = new();
    public WebAuthnMetadataOptions Metadata { get; set; } = new();

    /// <summary>Offer a passkey after a password sign-in to users without one: <c>off</c> or <c>offer</c>.</summary>
    public string PasskeyEnrollment { get; set; } = "off";

    /// <summary>How long "Not now" keeps the offer away.</summary>
    public TimeSpan PasskeyEnrollmentSnooze { get; set; } = TimeSpan.FromDays(30);
}

internal sealed class WebAuthnSelectionCriteriaOptions
{
    public string Attachment { get; set; } = "";
    public string Discoverability { get; set; } = "preferred";
    public string UserVerification { get; set; } = "preferred";
}

internal sealed class WebAuthnFilteringOptions
{
    public List<string> PermittedAaguids { get; set; } = [];
    public List<string> ProhibitedAaguids { get; set; } = [];
    public bool ProhibitBackupEligibility { get; set; }
}

internal sealed class WebAuthnMetadataOptions
{
    public bool Enabled { get; set; }
}

internal sealed class IdentityValidationOptions
{
    public ElevatedSessionOptions ElevatedSession { get; set; } = new();
}

internal sealed class ElevatedSessionOptions
{
    public TimeSpan CodeLifespan { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan ElevationLifespan { get; set; } = TimeSpan.FromMinutes(10);
    public int Characters { get; set; } = 8;
    public bool RequireSecondFactor { get; set; }
    public bool SkipSecondFactor { get; set; }
}

/// <summary>Portal's own reverse proxy. Unused (no listener) until <c>routes</c> is non-empty.</summary>
internal sealed class GatewayOptions
{
    public string Address { get; set; } = "tcp://:9080/";
    /// <summary>Base URL of a remote portal, for <c>portal gateway</c> running on its own.</summary>
    public string PortalUrl { get; set; } = "";
    public List<GatewayRouteOptions> Routes { get; set; } = [];
    /// <summary>PEM certificate and key for the gateway's listener; without them it serves plain http.</summary>
    public ServerTlsOptions Tls { get; set; } = new();
    /// <summary>
    /// Peers in front of the gateway (a TLS terminator) whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed.
    /// Empty by default, unlike <c>server.trusted_proxies</c>: the gateway is the edge, and its clients are the LAN.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}

internal sealed class GatewayRouteOptions
{
    public List<string> Hosts { get; set; } = [];
    public string Path { get; set; } = "/";
    public List<string> Upstreams { get; set; } = [];
    public TimeSpan? Timeout { get; set; }
    public bool Websockets { get; set; } = true;
    public bool PassSessionCookie { get; set; }
}

/// <summary>Overrides the snake_case key derived from a property name.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ConfigKeyAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
