using Portal.Configuration;
using Portal.Tests.Configuration;

namespace Portal.Tests.Totp;

/// <summary>The <c>totp</c> section: Authelia's keys and defaults, and errors that name the YAML path.</summary>
public sealed class TotpConfigTests
{
    private static List<string> Errors(string totp) =>
        [.. ConfigLoader.LoadYaml(ConfigLoaderTests.MinimalYaml + "\ntotp:\n" + totp).Diagnostics.Errors.Select(e => e.ToString())];

    [Fact]
    public void Without_a_totp_section_totp_is_on_with_authelias_defaults()
    {
        var result = ConfigLoader.LoadYaml(ConfigLoaderTests.MinimalYaml);
        var totp = result.Options.Totp;

        Assert.True(result.IsValid);
        Assert.False(totp.Disable);
        Assert.Equal(("SHA1", 6, 30, 1, 32), (totp.Algorithm, totp.Digits, totp.Period, totp.Skew, totp.SecretSize));
        Assert.Equal(["SHA1"], totp.AllowedAlgorithms);
        Assert.Equal([6], totp.AllowedDigits);
        Assert.Equal([30], totp.AllowedPeriods);
        Assert.False(totp.DisableReuseSecurityPolicy);
    }

    [Fact]
    public void An_authelia_totp_section_is_read_without_warnings()
    {
        var result = ConfigLoader.LoadYaml(ConfigLoaderTests.MinimalYaml + """

            totp:
              disable: false
              issuer: 'authelia.com'
              algorithm: 'sha256'
              digits: 8
              period: 60
              skew: 0
              secret_size: 40
              allowed_algorithms: ['SHA1', 'SHA512']
              allowed_digits: [6, 8]
              allowed_periods: [30, 60]
              disable_reuse_security_policy: false
            """);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Errors));
        Assert.DoesNotContain(result.Diagnostics.Warnings, w => w.ToString().Contains("totp", StringComparison.Ordinal));
        Assert.Equal(("authelia.com", "sha256", 8, 60, 0, 40), (result.Options.Totp.Issuer, result.Options.Totp.Algorithm, result.Options.Totp.Digits,
            result.Options.Totp.Period, result.Options.Totp.Skew, result.Options.Totp.SecretSize));
    }

    [Fact]
    public void Bad_values_are_errors_at_their_yaml_path()
    {
        var errors = Errors("  algorithm: md5\n  digits: 7\n  period: 5\n  secret_size: 10\n  issuer: 'a:b'\n  allowed_digits: [6, 9]\n  allowed_algorithms: [SHA3]\n");

        Assert.Contains(errors, e => e.StartsWith("totp: option 'algorithm' must be one of 'SHA1', 'SHA256', 'SHA512'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("totp: option 'digits' must be 6 or 8", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("totp: option 'period' must be between 15 and 3600", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("totp: option 'secret_size' must be between 20 and 256", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("totp: option 'issuer' must not contain ':'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("totp: option 'allowed_digits[1]' must be 6 or 8", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("totp: option 'allowed_algorithms[0]' must be one of", StringComparison.Ordinal));
    }

    [Fact]
    public void A_disabled_totp_section_is_not_checked()
    {
        Assert.Empty(Errors("  disable: true\n  digits: 7\n"));
    }
}
