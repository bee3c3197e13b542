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
    public ServerOptions Server { get; init; } = new();
    public LogOptions Log { get; init; } = new();
    public AuthenticationBackendOptions AuthenticationBackend { get; init; } = new();
    public SessionOptions Session { get; init; } = new();
    public StorageOptions Storage { get; init; } = new();
    public NotifierOptions Notifier { get; init; } = new();
    public DefinitionsOptions Definitions { get; init; } = new();
    public AccessControlOptions AccessControl { get; init; } = new();
    public RegulationOptions Regulation { get; init; } = new();
    [ConfigKey("webauthn")]
    public WebAuthnOptions WebAuthn { get; init; } = new();
    public IdentityValidationOptions IdentityValidation { get; init; } = new();
    public PasswordPolicyOptions PasswordPolicy { get; init; } = new();
    public GatewayOptions Gateway { get; init; } = new();

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
        IdentityValidationValidator.Validate,
        PasswordResetValidator.Validate,
        GatewayValidator.Validate,
        SessionValidator.Validate,
        StorageValidator.Validate,
        RegulationValidator.Validate,
        AccessControlValidator.Validate,
    ];
}
