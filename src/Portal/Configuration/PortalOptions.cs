using System.ComponentModel;
using Portal.AccessControl;
using Portal.Elevation;
using Portal.ForwardAuth;
using Portal.Gateway;
using Portal.Infrastructure;
using Portal.Notification;
using Portal.PasswordReset;
using Portal.Regulation;
using Portal.Session;
using Portal.Storage;
using Portal.Telemetry;
using Portal.Totp;
using Portal.Users;
using Portal.WebAuthn;
using SessionOptions = Portal.Session.SessionOptions;

namespace Portal.Configuration;

/// <summary>
/// The whole configuration file, in Authelia's key names. Property names map to snake_case keys
/// (<c>AutheliaUrl</c> → <c>authelia_url</c>) unless a <see cref="ConfigKeyAttribute"/> says otherwise.
/// Each section's options live in the folder of the feature that reads them, with their defaults (never in
/// handlers), and its validator beside them. Options are read-only once loaded; this root and
/// <see cref="GatewayOptions"/> are records so that a changed copy can be made (<c>with</c>: the demo gives its gateway
/// the portal's route once the portal's port is known). Sections that hold secrets stay classes, whose
/// <c>ToString</c> prints no values.
/// </summary>
internal sealed record PortalOptions
{
    [Description("The portal's listener, trusted proxies, TLS, timeouts, authz endpoints and HSTS.")]
    public ServerOptions Server { get; init; } = new();
    [Description("Logging: level, format and an optional file.")]
    public LogOptions Log { get; init; } = new();
    [Description("Where users come from: a users file in Authelia's format.")]
    public AuthenticationBackendOptions AuthenticationBackend { get; init; } = new();
    [Description("Session cookies (one entry per protected domain) and where sessions live (memory or Redis).")]
    public SessionOptions Session { get; init; } = new();
    [Description("The database for credentials, one-time codes and the authentication log: SQLite ('local') or PostgreSQL ('postgres').")]
    public StorageOptions Storage { get; init; } = new();
    [Description("How emails (one-time codes, security notices) are sent: a file or SMTP.")]
    public NotifierOptions Notifier { get; init; } = new();
    [Description("Named values usable in access-control rules.")]
    public DefinitionsOptions Definitions { get; init; } = new();
    [Description("Who may reach what: rules checked in order, the first match decides.")]
    public AccessControlOptions AccessControl { get; init; } = new();
    [Description("Bans after repeated sign-in failures.")]
    public RegulationOptions Regulation { get; init; } = new();
    [ConfigKey("webauthn")]
    [Description("Security keys and passkeys.")]
    public WebAuthnOptions WebAuthn { get; init; } = new();
    [Description("One-time password apps (TOTP) as a second factor.")]
    public TotpOptions Totp { get; init; } = new();
    [Description("How a user proves it is them before changing credentials.")]
    public IdentityValidationOptions IdentityValidation { get; init; } = new();
    [Description("What a new password (the password reset) must satisfy: 'standard' rules or a 'zxcvbn' strength, at most one.")]
    public PasswordPolicyOptions PasswordPolicy { get; init; } = new();
    [Description("Portal's own reverse proxy (YARP): decides every request with the access-control rules before forwarding it. Off until 'routes' has an entry.")]
    public GatewayOptions Gateway { get; init; } = new();
    [Description("Prometheus metrics (Authelia's telemetry.metrics), served on a listener of their own.")]
    public TelemetryOptions Telemetry { get; init; } = new();

    /// <summary>
    /// Every section's validator, in the order their diagnostics are reported. A new section adds its validator here.
    /// </summary>
    public static readonly IReadOnlyList<SectionValidator> Validators =
    [
        ServerValidator.Validate,
        AuthzEndpointsValidator.Validate,
        LogValidator.Validate,
        AuthenticationBackendValidator.Validate,
        NotifierValidator.Validate,
        WebAuthnValidator.Validate,
        TotpValidator.Validate,
        IdentityValidationValidator.Validate,
        PasswordResetValidator.Validate,
        GatewayValidator.Validate,
        SessionValidator.Validate,
        StorageValidator.Validate,
        RegulationValidator.Validate,
        AccessControlValidator.Validate,
        TelemetryValidator.Validate,
    ];
}
