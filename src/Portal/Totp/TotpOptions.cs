using System.ComponentModel;

namespace Portal.Totp;

/// <summary>
/// <c>totp</c>, with Authelia's keys and defaults, except the issuer, which names this portal as
/// <c>webauthn.display_name</c> does. The <c>allowed_*</c> lists are what a user may choose at registration; the
/// validator adds the default of each to its list, as Authelia does.
/// </summary>
internal sealed class TotpOptions
{
    [Description("Turn off one-time password apps entirely (their endpoints are not mapped; stored secrets are kept).")]
    public bool Disable { get; init; }
    [Description("The name authenticator apps show next to the account; no ':'.")]
    public string Issuer { get; init; } = "Portal";
    [Description("The HMAC algorithm of a new registration: SHA1 (what most apps support), SHA256 or SHA512.")]
    public string Algorithm { get; init; } = "SHA1";
    [Description("The number of digits of a new registration's codes: 6 or 8.")]
    public int Digits { get; init; } = 6;
    [Description("Seconds each code of a new registration lasts (15 to 3600).")]
    public int Period { get; init; } = 30;
    [Description("How many periods before and after the current one are accepted too.")]
    public int Skew { get; init; } = 1;
    [Description("Bytes of a new secret (20 or more).")]
    public int SecretSize { get; init; } = 32;
    [Description("Other algorithms a user may choose at registration.")]
    public IReadOnlyList<string> AllowedAlgorithms { get; init; } = ["SHA1"];
    [Description("Other digit counts a user may choose at registration.")]
    public IReadOnlyList<int> AllowedDigits { get; init; } = [6];
    [Description("Other periods a user may choose at registration.")]
    public IReadOnlyList<int> AllowedPeriods { get; init; } = [30];
    [Description("Accept a code more than once within its period (not recommended).")]
    public bool DisableReuseSecurityPolicy { get; init; }
}
