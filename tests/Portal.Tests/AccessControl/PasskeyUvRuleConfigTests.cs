using System.Net;
using Portal.AccessControl;
using Portal.Configuration;
using Portal.Tests.Configuration;

namespace Portal.Tests.AccessControl;

/// <summary>
/// <c>access_control.rules[].passkey_uv_two_factor</c> (beyond Authelia): parsed from YAML, carried by the decision,
/// rejected with its YAML path where it means nothing, and absent from Authelia files, which load unchanged.
/// </summary>
public sealed class PasskeyUvRuleConfigTests
{
    private const string PasskeyLogin = "webauthn:\n  enable_passkey_login: true\n";

    private static string Yaml(string rules, string webauthn = PasskeyLogin) =>
        ConfigLoaderTests.MinimalYaml[..ConfigLoaderTests.MinimalYaml.IndexOf("access_control:", StringComparison.Ordinal)]
            + webauthn + "access_control:\n  default_policy: deny\n  rules:\n" + rules;

    private static ConfigLoadResult Load(string rules, string webauthn = PasskeyLogin) => ConfigLoader.LoadYaml(Yaml(rules, webauthn));

    /// <summary>The line the (last) passkey_uv_two_factor key is on, as diagnostics report it.</summary>
    private static string KeyLine(string rules, string webauthn = PasskeyLogin)
    {
        var yaml = Yaml(rules, webauthn);
        var at = yaml.LastIndexOf("passkey_uv_two_factor:", StringComparison.Ordinal);
        return $"(line {yaml[..at].Count(c => c == '\n') + 1})";
    }

    private static string[] Errors(ConfigLoadResult r) => [.. r.Diagnostics.Errors.Select(e => e.ToString())];

    private static string[] Warnings(ConfigLoadResult r) => [.. r.Diagnostics.Warnings.Select(e => e.ToString())];

    private static AccessDecision Decide(ConfigLoadResult loaded, string url)
    {
        Assert.True(loaded.IsValid, string.Join("\n", Errors(loaded)));
        var engine = AccessControlEngine.Compile(loaded.Options.AccessControl, loaded.Options.Definitions);
        Assert.True(AccessTarget.TryCreate(url, "GET", out var target, out var error), error);
        return engine.Decide(new Subject("john", ["dev"], IPAddress.Loopback), target);
    }

    private const string ThreeRules = """
            - domain: 'allow.example.com'
              policy: two_factor
              passkey_uv_two_factor: allow
            - domain: 'deny.example.com'
              policy: two_factor
              passkey_uv_two_factor: deny
            - domain: 'unset.example.com'
              policy: two_factor

        """;

    [Theory]
    [InlineData("https://allow.example.com/", "allow", 1)]
    [InlineData("https://deny.example.com/", "deny", 2)]
    [InlineData("https://unset.example.com/", null, 3)]
    [InlineData("https://other.example.com/", null, null)]
    public void The_decision_carries_the_setting_of_the_rule_that_applied(string url, string? expected, int? rule)
    {
        var decision = Decide(Load(ThreeRules), url);
        Assert.Equal(expected, PasskeyUvTwoFactorNames.Format(decision.PasskeyUv));
        Assert.Equal(rule, decision.Rule);
    }

    [Fact]
    public void A_valid_setting_gives_no_error_and_no_warning_when_passkey_login_is_on()
    {
        var loaded = Load(ThreeRules);
        Assert.Empty(Errors(loaded));
        Assert.DoesNotContain(Warnings(loaded), w => w.Contains("passkey_uv_two_factor", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_policy_explain_lists_the_setting_of_each_rule()
    {
        var loaded = Load(ThreeRules);
        var engine = AccessControlEngine.Compile(loaded.Options.AccessControl, loaded.Options.Definitions);
        Assert.True(AccessTarget.TryCreate("https://x.example.com/", "GET", out var target, out _));
        Assert.Equal([PasskeyUvTwoFactor.Allow, PasskeyUvTwoFactor.Deny, PasskeyUvTwoFactor.Global],
            engine.Explain(new Subject("john", [], null), target).Select(e => e.PasskeyUv));
    }

    [Theory]
    [InlineData("Allow")]
    [InlineData("yes")]
    [InlineData("true")]
    [InlineData("''")]
    public void An_unknown_value_is_an_error_naming_the_yaml_path(string value)
    {
        var rules = $"    - domain: 'a.example.com'\n      policy: two_factor\n    - domain: 'b.example.com'\n      policy: two_factor\n      passkey_uv_two_factor: {value}\n";
        var error = Assert.Single(Errors(Load(rules)));
        Assert.StartsWith("access_control: rules[1]: option 'passkey_uv_two_factor' must be 'allow' or 'deny'", error, StringComparison.Ordinal);
        Assert.EndsWith(KeyLine(rules), error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("one_factor", "allow")]
    [InlineData("one_factor", "deny")]
    [InlineData("bypass", "deny")]
    [InlineData("deny", "allow")]
    public void The_key_on_a_policy_other_than_two_factor_is_an_error_naming_the_yaml_path(string policy, string value)
    {
        var rules = $"    - domain: 'a.example.com'\n      policy: {policy}\n      passkey_uv_two_factor: {value}\n";
        Assert.Equal(
            [$"access_control: rules[0]: option 'passkey_uv_two_factor' is only valid with policy 'two_factor' but the policy is '{policy}': "
                + $"it decides whether a user-verified passkey alone satisfies two_factor {KeyLine(rules)}"],
            Errors(Load(rules)));
    }

    [Fact]
    public void Allow_while_passkey_login_is_off_is_a_warning_not_an_error()
    {
        const string Rules = "    - domain: 'a.example.com'\n      policy: two_factor\n      passkey_uv_two_factor: allow\n";
        var loaded = Load(Rules, webauthn: "");
        Assert.Empty(Errors(loaded));
        Assert.Contains("access_control: rules[0]: option 'passkey_uv_two_factor' is 'allow' but has no effect while 'webauthn.enable_passkey_login' is false: "
            + $"a passkey is then only ever used after the password {KeyLine(Rules, webauthn: "")}", Warnings(loaded));
    }

    [Fact]
    public void Deny_while_passkey_login_is_off_is_accepted_silently()
    {
        var loaded = Load("    - domain: 'a.example.com'\n      policy: two_factor\n      passkey_uv_two_factor: deny\n", webauthn: "");
        Assert.Empty(Errors(loaded));
        Assert.DoesNotContain(Warnings(loaded), w => w.Contains("passkey_uv_two_factor", StringComparison.Ordinal));
    }

    [Fact]
    public void The_key_is_a_single_value_not_a_list()
    {
        var loaded = Load("    - domain: 'a.example.com'\n      policy: two_factor\n      passkey_uv_two_factor: [allow]\n");
        var error = Assert.Single(Errors(loaded));
        Assert.StartsWith("access_control: rules[0]: option 'passkey_uv_two_factor' must be a single value", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_authelia_documented_file_loads_unchanged_and_no_rule_overrides_the_global_switch()
    {
        var loaded = AutheliaDocsConfigTests.LoadDocumentedFile();
        Assert.True(loaded.IsValid, string.Join("\n", Errors(loaded)));
        Assert.All(loaded.Options.AccessControl.Rules, r => Assert.Null(r.PasskeyUvTwoFactor));
        var engine = AccessControlEngine.Compile(loaded.Options.AccessControl, loaded.Options.Definitions);
        Assert.True(AccessTarget.TryCreate("https://secure.example.com/", "GET", out var target, out _));
        Assert.All(engine.Explain(new Subject("john", ["admins"], IPAddress.Parse("203.0.113.7")), target), e => Assert.Equal(PasskeyUvTwoFactor.Global, e.PasskeyUv));
    }
}
