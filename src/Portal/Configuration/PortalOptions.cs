using Portal.AccessControl;
using Portal.Elevation;
using Portal.ForwardAuth;
using Portal.Gateway;
using Portal.Infrastructure;
using Portal.Notification;
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
/// handlers), and its validator beside them.
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
        GatewayValidator.Validate,
        SessionValidator.Validate,
        StorageValidator.Validate,
        RegulationValidator.Validate,
        AccessControlValidator.Validate,
    ];
}
