using Portal.AccessControl;
using Portal.Cli;
using Portal.Configuration;
using Portal.WebAuthn;

namespace Portal.Tests.AccessControl;

public sealed class AccessControlCommandsTests
{
    private static (int Code, string Out, string Err) Run(PortalOptions options, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        // Stands in for the loader: options built in code, validated the way the loader validates access_control.
        var code = AccessControlCommands.Run(args, stdout, stderr, _ =>
        {
            var diag = new ConfigDiagnostics();
            Portal.AccessControl.AccessControlValidator.Validate(options, diag);
            return new ConfigLoadResult(options, diag);
        });
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static PortalOptions Docs() => new() { AccessControl = AclTestData.DocsStyle() };

    [Fact]
    public void Json_prints_one_line_with_policy_rule_potential_and_the_passkey_setting()
    {
        var (code, stdout, _) = Run(Docs(), "check-policy", "--config", "c.yml", "--url", "https://secure.example.com/", "--ip", "192.0.2.1", "--username", "john", "--json");
        Assert.Equal(0, code);
        Assert.Equal("{\"policy\":\"two_factor\",\"rule\":4,\"potential\":false,\"passkey_uv_two_factor\":null,\"passkey_uv_counts_as_two_factor\":false}"
            + Environment.NewLine, stdout);
    }

    [Fact]
    public void Json_rule_is_null_when_the_default_policy_applies()
    {
        var (code, stdout, _) = Run(Docs(), "check-policy", "--config", "c.yml", "--url", "https://example.com/", "--json");
        Assert.Equal(0, code);
        Assert.Equal("{\"policy\":\"deny\",\"rule\":null,\"potential\":false,\"passkey_uv_two_factor\":null,\"passkey_uv_counts_as_two_factor\":false}", stdout.Trim());
    }

    [Fact]
    public void Json_reports_a_potential_match_for_an_anonymous_user()
    {
        var (_, stdout, _) = Run(Docs(), "check-policy", "--config", "c.yml", "--url", "https://mx2.mail.example.com/", "--json");
        Assert.Equal("{\"policy\":\"deny\",\"rule\":6,\"potential\":true,\"passkey_uv_two_factor\":null,\"passkey_uv_counts_as_two_factor\":false}", stdout.Trim());
    }

    [Fact]
    public void Text_output_explains_each_rule_and_the_final_policy()
    {
        var (code, stdout, _) = Run(Docs(), "check-policy", "--config", "c.yml", "--url", "https://dev.example.com/users/john/x",
            "--username", "john", "--groups", "dev, ops", "--method", "get");
        Assert.Equal(0, code);
        Assert.Contains("rule #1    bypass      no match: 'domain' does not match", stdout, StringComparison.Ordinal);
        Assert.Contains("rule #8    two_factor  no match: 'resources' does not match", stdout, StringComparison.Ordinal);
        Assert.Contains("* rule #9    two_factor  match: applies", stdout, StringComparison.Ordinal);
        Assert.Contains("rule #12   two_factor  no match: 'methods' does not match", stdout, StringComparison.Ordinal);
        Assert.Contains("The policy 'two_factor' from rule #9 will be applied to this request.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_output_shows_the_canonical_form_when_it_differs()
    {
        var (_, stdout, _) = Run(Docs(), "check-policy", "--config", "c.yml", "--url", "https://Dev.Example.com/a/../users/john/x;j=1");
        Assert.Contains("Canonical form: 'https://dev.example.com/users/john/x'", stdout, StringComparison.Ordinal);
        Assert.Contains("will potentially be applied", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_output_names_the_other_readings_of_an_ambiguous_path()
    {
        var (_, stdout, _) = Run(Docs(), "check-policy", "--config", "c.yml", "--url", "https://dev.example.com/users/john/..;/x");
        Assert.Contains("Other backends read this path as '/users/john/..;/x'", stdout, StringComparison.Ordinal);
        Assert.Contains("the strictest decision among the readings applies", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check-policy", "--config", "c.yml")]
    [InlineData("check-policy", "--url", "https://a.example.com/")]
    [InlineData("check-policy", "--config", "c.yml", "--url", "/relative")]
    [InlineData("check-policy", "--config", "c.yml", "--url", "https://a.example.com/", "--ip", "nope")]
    [InlineData("check-policy", "--config", "c.yml", "--url", "https://a.example.com/", "--bogus", "x")]
    [InlineData("explain")]
    [InlineData("check-policy", "--config", "c.yml", "--url", "https://a.example.com/", "--username", "john", "--factors", "password,fingerprint")]
    [InlineData("check-policy", "--config", "c.yml", "--url", "https://a.example.com/", "--username", "john", "--factors", ",")]
    [InlineData("check-policy", "--config", "c.yml", "--url", "https://a.example.com/", "--username", "john", "--factors", "passkey-uv,security-key")]
    [InlineData("check-policy", "--config", "c.yml", "--url", "https://a.example.com/", "--factors", "password")]
    public void Bad_arguments_exit_1_with_an_error(params string[] args)
    {
        var (code, stdout, stderr) = Run(Docs(), args);
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.StartsWith("Error: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_access_control_config_exits_1_and_prints_the_diagnostics()
    {
        var options = new PortalOptions
        {
            AccessControl = new AccessControlOptions
            {
                Rules = [new AccessControlRuleOptions { Domain = ["a.example.com"], Policy = "bypass", Subject = [["user:john"]] }],
            },
        };
        var (code, stdout, stderr) = Run(options, "check-policy", "--config", "c.yml", "--url", "https://a.example.com/");
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("access_control: rules[0]: 'policy' option 'bypass' is not supported when 'subject' option is configured", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_errors_exit_1_and_are_printed()
    {
        var diag = new ConfigDiagnostics();
        diag.Error("session", "secret", "is required");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = AccessControlCommands.Run(["check-policy", "--config", "c.yml", "--url", "https://a.example.com/"], stdout, stderr,
            _ => new ConfigLoadResult(new PortalOptions(), diag));
        Assert.Equal(1, code);
        Assert.Contains("session: option 'secret' is required", stderr.ToString(), StringComparison.Ordinal);
    }

    private static PortalOptions PasskeyRules(bool globalUv) => new()
    {
        WebAuthn = new WebAuthnOptions { EnablePasskeyLogin = true, ExperimentalEnablePasskeyUvTwoFactors = globalUv },
        AccessControl = new AccessControlOptions
        {
            Rules =
            [
                new AccessControlRuleOptions { Domain = ["allow.example.com"], Policy = "two_factor", PasskeyUvTwoFactor = "allow" },
                new AccessControlRuleOptions { Domain = ["deny.example.com"], Policy = "two_factor", PasskeyUvTwoFactor = "deny" },
                new AccessControlRuleOptions { Domain = ["*.example.com"], Policy = "two_factor" },
            ],
        },
    };

    [Fact]
    public void Text_output_shows_each_rules_passkey_setting_and_why_a_uv_passkey_does_or_does_not_satisfy_the_rule()
    {
        var (_, allow, _) = Run(PasskeyRules(globalUv: false), "check-policy", "--config", "c.yml", "--url", "https://allow.example.com/", "--username", "john");
        Assert.Contains("* rule #1    two_factor  match: applies  [passkey_uv_two_factor: allow]", allow, StringComparison.Ordinal);
        Assert.Contains("  rule #2    two_factor  no match: 'domain' does not match  [passkey_uv_two_factor: deny]", allow, StringComparison.Ordinal);
        Assert.Contains("A user-verified passkey (UV) alone satisfies this two_factor: yes (rule #1 sets 'passkey_uv_two_factor: allow').", allow, StringComparison.Ordinal);

        var (_, deny, _) = Run(PasskeyRules(globalUv: true), "check-policy", "--config", "c.yml", "--url", "https://deny.example.com/", "--username", "john");
        Assert.Contains("satisfies this two_factor: no (rule #2 sets 'passkey_uv_two_factor: deny').", deny, StringComparison.Ordinal);

        var (_, global, _) = Run(PasskeyRules(globalUv: true), "check-policy", "--config", "c.yml", "--url", "https://other.example.com/", "--username", "john");
        Assert.Contains("satisfies this two_factor: yes ('webauthn.experimental_enable_passkey_uv_two_factors' is true).", global, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_output_with_factors_states_the_level_and_the_outcome()
    {
        var (code, stdout, _) = Run(PasskeyRules(globalUv: true), "check-policy", "--config", "c.yml", "--url", "https://deny.example.com/",
            "--username", "john", "--factors", "passkey-uv");
        Assert.Equal(0, code);
        Assert.Contains("A session with passkey-uv has level one_factor for this rule: not enough: the user is sent to the portal (302, or 401 for scripts).",
            stdout, StringComparison.Ordinal);

        var (_, both, _) = Run(PasskeyRules(globalUv: true), "check-policy", "--config", "c.yml", "--url", "https://deny.example.com/",
            "--username", "john", "--factors", "passkey-uv, password");
        Assert.Contains("A session with passkey-uv + password has level two_factor for this rule: authorized: the request is forwarded (200).", both, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_with_factors_adds_factors_level_and_outcome()
    {
        var (_, stdout, _) = Run(PasskeyRules(globalUv: false), "check-policy", "--config", "c.yml", "--url", "https://allow.example.com/",
            "--username", "john", "--factors", "passkey-uv", "--json");
        Assert.Equal("{\"policy\":\"two_factor\",\"rule\":1,\"potential\":false,\"passkey_uv_two_factor\":\"allow\",\"passkey_uv_counts_as_two_factor\":true,"
            + "\"factors\":[\"passkey-uv\"],\"level\":\"two_factor\",\"outcome\":\"authorized\"}", stdout.Trim());
    }

    [Theory]
    [InlineData("passkey")]
    [InlineData("security-key")]
    public void Json_with_a_passkey_without_user_verification_is_never_two_factors(string factor)
    {
        var (_, stdout, _) = Run(PasskeyRules(globalUv: true), "check-policy", "--config", "c.yml", "--url", "https://allow.example.com/",
            "--username", "john", "--factors", factor, "--json");
        Assert.EndsWith($"\"level\":\"one_factor\",\"outcome\":\"unauthorized\"}}", stdout.Trim(), StringComparison.Ordinal);
    }

    private static PortalOptions IdentityRules() => new()
    {
        AccessControl = new AccessControlOptions
        {
            DefaultPolicy = "deny",
            Rules =
            [
                new AccessControlRuleOptions
                {
                    Domain = ["id.example.com"], Policy = "one_factor", Resources = [@"^/(?P<User>[a-zA-Z0-9]+)/personal(/|/.*)?$"],
                },
                new AccessControlRuleOptions { Domain = ["{user}-files.example.com"], Policy = "one_factor" },
                new AccessControlRuleOptions { Domain = ["{group}-wiki.example.com"], Policy = "two_factor" },
            ],
        },
    };

    [Fact]
    public void Check_policy_says_a_User_resource_failed_because_it_captured_another_user()
    {
        var (code, stdout, _) = Run(IdentityRules(), "check-policy", "--config", "c.yml", "--url", "https://id.example.com/bob/personal",
            "--username", "john", "--groups", "admins,dev", "--factors", "password");
        Assert.Equal(0, code);
        Assert.Contains("  rule #1    one_factor  no match: 'resources' does not match this user: the User group of "
            + "'^/(?P<User>[a-zA-Z0-9]+)/personal(/|/.*)?$' captured 'bob', not the username 'john'", stdout, StringComparison.Ordinal);
        Assert.Contains("No rule matches: the default policy 'deny' will be applied to this request.", stdout, StringComparison.Ordinal);
        Assert.Contains("forbidden (403)", stdout, StringComparison.Ordinal);

        var (_, own, _) = Run(IdentityRules(), "check-policy", "--config", "c.yml", "--url", "https://id.example.com/John/personal", "--username", "john");
        Assert.Contains("* rule #1    one_factor  match: applies", own, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_policy_reports_a_User_resource_as_a_potential_match_for_anonymous()
    {
        var (_, stdout, _) = Run(IdentityRules(), "check-policy", "--config", "c.yml", "--url", "https://id.example.com/bob/personal");
        Assert.Contains("* rule #1    one_factor  potential match: applies because the user is anonymous and the rule has subject criteria ('resources')",
            stdout, StringComparison.Ordinal);
        Assert.Contains("The policy 'one_factor' from rule #1 will potentially be applied to this request", stdout, StringComparison.Ordinal);
        var (_, json, _) = Run(IdentityRules(), "check-policy", "--config", "c.yml", "--url", "https://id.example.com/bob/personal", "--json");
        Assert.StartsWith("{\"policy\":\"one_factor\",\"rule\":1,\"potential\":true,", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_policy_explains_placeholder_prefix_domains_for_the_owner_a_stranger_and_anonymous()
    {
        var (_, owner, _) = Run(IdentityRules(), "check-policy", "--config", "c.yml", "--url", "https://john-files.example.com/", "--username", "john");
        Assert.Contains("* rule #2    one_factor  match: applies", owner, StringComparison.Ordinal);

        var (_, stranger, _) = Run(IdentityRules(), "check-policy", "--config", "c.yml", "--url", "https://john-files.example.com/", "--username", "bob");
        Assert.Contains("  rule #2    one_factor  no match: 'domain' does not match this user: '{user}-files.example.com' gives 'john' for {user}, "
            + "not the username 'bob'", stranger, StringComparison.Ordinal);

        var (_, member, _) = Run(IdentityRules(), "check-policy", "--config", "c.yml", "--url", "https://admins-wiki.example.com/",
            "--username", "harry", "--groups", "dev");
        Assert.Contains("  rule #3    two_factor  no match: 'domain' does not match this user: '{group}-wiki.example.com' gives 'admins' for {group}, "
            + "which is not one of the user's groups ('dev')", member, StringComparison.Ordinal);

        var (_, anonymous, _) = Run(IdentityRules(), "check-policy", "--config", "c.yml", "--url", "https://admins-wiki.example.com/");
        Assert.Contains("* rule #3    two_factor  potential match: applies because the user is anonymous and the rule has subject criteria ('domain')",
            anonymous, StringComparison.Ordinal);
    }
}
