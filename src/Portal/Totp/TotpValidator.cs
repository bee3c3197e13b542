using Portal.Configuration;
using static Portal.Configuration.ConfigChecks;

namespace Portal.Totp;

/// <summary>Checks <c>totp</c> as Authelia does: known algorithms, 6 or 8 digits, a period of 15 s or more, a secret of 20 bytes or more.</summary>
internal static class TotpValidator
{
    public const string Path = "totp";

    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        var totp = options.Totp;
        if (totp.Disable)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(totp.Issuer))
        {
            diag.Error(Path, "issuer", "must not be empty");
        }
        else if (totp.Issuer.Contains(':', StringComparison.Ordinal))
        {
            // The otpauth label is "issuer:account"; a colon would make apps read another issuer.
            diag.Error(Path, "issuer", "must not contain ':'");
        }
        if (TotpAlgorithms.Normalize(totp.Algorithm) is null)
        {
            RequireOneOf(diag, Path, "algorithm", totp.Algorithm, [.. TotpAlgorithms.All]);
        }
        if (!TotpAlgorithms.IsValidDigits(totp.Digits))
        {
            diag.Error(Path, "digits", $"must be 6 or 8 but it's configured as {totp.Digits}");
        }
        RequireRange(diag, Path, "period", totp.Period, 15, 3600);
        RequireRange(diag, Path, "skew", totp.Skew, 0, 10);
        RequireRange(diag, Path, "secret_size", totp.SecretSize, 20, 256);
        for (var i = 0; i < totp.AllowedAlgorithms.Count; i++)
        {
            if (TotpAlgorithms.Normalize(totp.AllowedAlgorithms[i]) is null)
            {
                RequireOneOf(diag, Path, $"allowed_algorithms[{i}]", totp.AllowedAlgorithms[i], [.. TotpAlgorithms.All]);
            }
        }
        for (var i = 0; i < totp.AllowedDigits.Count; i++)
        {
            if (!TotpAlgorithms.IsValidDigits(totp.AllowedDigits[i]))
            {
                diag.Error(Path, $"allowed_digits[{i}]", $"must be 6 or 8 but it's configured as {totp.AllowedDigits[i]}");
            }
        }
        for (var i = 0; i < totp.AllowedPeriods.Count; i++)
        {
            RequireRange(diag, Path, $"allowed_periods[{i}]", totp.AllowedPeriods[i], 15, 3600);
        }
        if (totp.DisableReuseSecurityPolicy)
        {
            diag.Warning(Path, "disable_reuse_security_policy", "is true: a code seen by someone else stays usable for its whole period");
        }
    }

    /// <summary>The algorithms a user may register with: the allowed list and the default, canonical, once each.</summary>
    public static IReadOnlyList<string> Algorithms(TotpOptions totp) =>
        [.. new[] { totp.Algorithm }.Concat(totp.AllowedAlgorithms).Select(TotpAlgorithms.Normalize).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>The digits a user may register with: the default first.</summary>
    public static IReadOnlyList<int> Digits(TotpOptions totp) => [.. new[] { totp.Digits }.Concat(totp.AllowedDigits).Distinct()];

    /// <summary>The periods a user may register with: the default first.</summary>
    public static IReadOnlyList<int> Periods(TotpOptions totp) => [.. new[] { totp.Period }.Concat(totp.AllowedPeriods).Distinct()];
}
