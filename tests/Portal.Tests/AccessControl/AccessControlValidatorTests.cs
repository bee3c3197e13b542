using Portal.AccessControl;
using Portal.Configuration;
using Portal.Tests.Support;
using static Portal.Tests.AccessControl.AclTestData;

namespace Portal.Tests.AccessControl;

public sealed class AccessControlValidatorTests
{
    private static ConfigDiagnostics Validate(AccessControlOptions acl, DefinitionsOptions? definitions = null)
    {
        var diag = new ConfigDiagnostics();
        AccessControlValidator.Validate(new PortalOptions { AccessControl = acl, Definitions = definitions ?? new() }, diag);
        return diag;
    }

    private static ConfigDiagnostics ValidateRule(AccessControlRuleOptions rule) =>
        Validate(new AccessControlOptions { DefaultPolicy = "deny", Rules = [Rule("one_factor", "ok.example.com"), rule] });

    private static string[] Errors(ConfigDiagnostics d) => [.. d.Errors.Select(e => e.ToString())];

    private static string[] Warnings(ConfigDiagnostics d) => [.. d.Warnings.Select(e => e.ToString())];

    [Fact]
    public void Docs_style_configuration_is_valid_and_compiles()
    {
        var options = DocsStyle();
        var diag = Validate(options);
        Assert.Empty(Errors(diag));
        Assert.Empty(Warnings(diag));
        Assert.Equal(12, AccessControlEngine.Compile(options, new DefinitionsOptions()).RuleCount);
    }

    [Fact]
    public void Invalid_default_policy_is_reported_with_the_allowed_values() =>
        Assert.Equal(
            ["access_control: option 'default_policy' must be one of 'bypass', 'one_factor', 'two_factor', 'deny' but it's configured as 'allow'"],
            Errors(Validate(new AccessControlOptions { DefaultPolicy = "allow", Rules = [Rule("deny", "a.example.com")] })));

    [Fact]
    public void Unknown_ambiguous_paths_mode_is_reported_with_the_allowed_values() =>
        Assert.Equal(
            ["access_control: option 'ambiguous_paths' must be 'strictest' or 'refuse' but it's configured as 'lenient'"],
            Errors(Validate(new AccessControlOptions { AmbiguousPaths = "lenient", Rules = [Rule("deny", "a.example.com")] })));

    [Theory]
    [InlineData("deny")]
    [InlineData("bypass")]
    public void No_rules_with_a_deny_or_bypass_default_is_an_error(string policy) =>
        Assert.Equal(
            [$"access_control: option 'default_policy' must be 'one_factor' or 'two_factor' when no rules are configured but it's configured as '{policy}'"],
            Errors(Validate(new AccessControlOptions { DefaultPolicy = policy })));

    [Fact]
    public void No_rules_with_a_factor_default_is_only_a_warning()
    {
        var diag = Validate(new AccessControlOptions { DefaultPolicy = "two_factor" });
        Assert.False(diag.HasErrors);
        Assert.Single(Warnings(diag));
    }

    [Fact]
    public void Rule_without_domain_or_domain_regex_is_an_error() =>
        Assert.Equal(["access_control: rules[1]: one of the options 'domain' or 'domain_regex' is required"],
            Errors(ValidateRule(new AccessControlRuleOptions { Policy = "deny" })));

    [Fact]
    public void Missing_policy_is_an_error() =>
        Assert.Equal(["access_control: rules[1]: option 'policy' is required"], Errors(ValidateRule(Rule("", "a.example.com"))));

    [Fact]
    public void Unknown_policy_is_an_error() =>
        Assert.Equal(["access_control: rules[1]: option 'policy' must be one of 'bypass', 'one_factor', 'two_factor', 'deny' but it's configured as 'allow'"],
            Errors(ValidateRule(Rule("allow", "a.example.com"))));

    [Fact]
    public void Bypass_with_subject_is_an_error() =>
        Assert.Equal(["access_control: rules[1]: 'policy' option 'bypass' is not supported when 'subject' option is configured"],
            Errors(ValidateRule(new AccessControlRuleOptions { Domain = ["a.example.com"], Policy = "bypass", Subject = [["user:john"]] })));

    [Fact]
    public void Bypass_with_user_domain_or_group_regex_is_an_error()
    {
        Assert.Contains("'bypass' is not supported when 'domain' option contains '{user}' or '{group}'",
            Assert.Single(Errors(ValidateRule(Rule("bypass", "{user}.example.com")))), StringComparison.Ordinal);
        Assert.Contains("'bypass' is not supported when 'domain_regex' option contains the User or Group named groups",
            Assert.Single(Errors(ValidateRule(new AccessControlRuleOptions { Policy = "bypass", DomainRegex = [@"^(?P<Group>\w+)\.example\.com$"] }))),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Subject_needs_a_user_or_group_prefix()
    {
        var errors = Errors(ValidateRule(new AccessControlRuleOptions
        {
            Domain = ["a.example.com"], Policy = "deny", Subject = [["user:john", "role:admin"], ["oauth2:client:x"], ["group:"]],
        }));
        Assert.Equal(
        [
            "access_control: rules[1]: option 'subject' value 'role:admin' is invalid: it must start with 'user:' or 'group:'",
            "access_control: rules[1]: option 'subject' value 'oauth2:client:x' is invalid: it must start with 'user:' or 'group:'",
            "access_control: rules[1]: option 'subject' value 'group:' is invalid: the name after the prefix is empty",
        ], errors);
    }

    [Fact]
    public void Methods_must_be_known_verbs_and_unique()
    {
        var errors = Errors(ValidateRule(new AccessControlRuleOptions
        {
            Domain = ["a.example.com"], Policy = "deny", Methods = ["GET", "propfind", "FETCH", "get"],
        }));
        Assert.Equal(2, errors.Length);
        Assert.StartsWith("access_control: rules[1]: option 'methods' must only contain the values 'GET', ", errors[0], StringComparison.Ordinal);
        Assert.EndsWith("but 'FETCH' is present", errors[0], StringComparison.Ordinal);
        Assert.Equal("access_control: rules[1]: option 'methods' must have unique values but 'GET' is present more than once", errors[1]);
    }

    [Fact]
    public void Query_items_are_checked_with_their_own_path()
    {
        var errors = Errors(ValidateRule(new AccessControlRuleOptions
        {
            Domain = ["a.example.com"],
            Policy = "deny",
            Query =
            [
                [Q("equal", "k"), Q("present", "k", "v")],
                [Q("contains", "k", "v"), Q("pattern", "", "(")],
                [Q("", "k", "v"), Q("absent", "k"), Q("not pattern", "k", "^a$"), Q("not equal", "k", "")],
            ],
        }));
        Assert.Equal(
        [
            "access_control: rules[1]: query[0][0]: option 'value' is required with operator 'equal'",
            "access_control: rules[1]: query[0][1]: option 'value' must not be set with operator 'present'",
            "access_control: rules[1]: query[1][0]: option 'operator' must be one of 'equal', 'not equal', 'present', 'absent', 'pattern', 'not pattern' but it's configured as 'contains'",
            "access_control: rules[1]: query[1][1]: option 'key' is required",
        ], errors.Take(4));
        Assert.Equal(5, errors.Length);
        Assert.StartsWith("access_control: rules[1]: query[1][1]: option 'value' '(' is not a valid regular expression", errors[4], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"^/(?=admin)", "cannot run in linear time")]
    [InlineData(@"^/(a)\1$", "cannot run in linear time")]
    [InlineData(@"^/(?>a+)$", "cannot run in linear time")]
    [InlineData(@"^/[a-$", "is not a valid regular expression")]
    public void Regexes_must_compile_and_run_in_linear_time(string pattern, string expected)
    {
        var error = Assert.Single(Errors(ValidateRule(new AccessControlRuleOptions { Domain = ["a.example.com"], Policy = "deny", Resources = [pattern] })));
        Assert.StartsWith($"access_control: rules[1]: option 'resources' value '{pattern}' ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(Errors(ValidateRule(new AccessControlRuleOptions { DomainRegex = [pattern], Policy = "deny" })));
    }

    [Fact]
    public void Unanchored_resource_is_a_warning_that_mentions_the_query_string()
    {
        var diag = ValidateRule(new AccessControlRuleOptions { Domain = ["a.example.com"], Policy = "bypass", Resources = ["/public", "^/ok"] });
        Assert.False(diag.HasErrors);
        var warning = Assert.Single(Warnings(diag));
        Assert.Contains("'/public' is not anchored with '^'", warning, StringComparison.Ordinal);
        Assert.Contains("/private?x=/public", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Case_insensitive_resource_anchored_after_its_inline_option_is_no_warning()
    {
        var diag = ValidateRule(new AccessControlRuleOptions { Domain = ["a.example.com"], Policy = "bypass", Resources = ["(?i)^/ok", "(?i)/loose"] });
        Assert.False(diag.HasErrors);
        Assert.Contains("'(?i)/loose' is not anchored with '^'", Assert.Single(Warnings(diag)), StringComparison.Ordinal);
    }

    [Fact]
    public void Wildcard_without_a_dot_is_a_warning()
    {
        var diag = ValidateRule(Rule("deny", "*example.com"));
        Assert.False(diag.HasErrors);
        Assert.Contains("did you mean '*.example.com'", Assert.Single(Warnings(diag)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("exa mple.com")]
    [InlineData("a.*.example.com")]
    [InlineData("*.")]
    [InlineData("app.{user}.example.com")]
    public void Malformed_domains_are_errors(string domain) =>
        Assert.Contains("option 'domain'", Assert.Single(Errors(ValidateRule(Rule("deny", domain)))), StringComparison.Ordinal);

    [Theory]
    [InlineData("{user}-files.example.com")]
    [InlineData("{group}-wiki.example.com")]
    [InlineData("{USER}-Files.Example.com.")]
    [InlineData("{user}files.example.com")]
    [InlineData("{user}.example.com")]
    [InlineData("{group}.example.com")]
    [InlineData("{user}-intranet")]
    [InlineData("{user}-files.bücher.example.com")]
    public void Placeholder_followed_by_the_rest_of_the_host_is_accepted(string domain)
    {
        var diag = ValidateRule(Rule("one_factor", domain));
        Assert.Empty(Errors(diag));
        Assert.Empty(Warnings(diag));
    }

    [Theory]
    [InlineData("files-{user}.example.com", "has its placeholder after the start: '{user}' or '{group}' starts the domain")]
    [InlineData("*.{group}.example.com", "has its placeholder after the start: '{user}' or '{group}' starts the domain")]
    [InlineData("{user}-{group}.example.com", "has more than one placeholder: '{user}' or '{group}' starts the domain")]
    [InlineData("{user}.{user}.example.com", "has more than one placeholder: '{user}' or '{group}' starts the domain")]
    [InlineData("{user}", "has nothing after the placeholder: '{user}' or '{group}' starts the domain")]
    [InlineData("{group}.", "has nothing after the placeholder: '{user}' or '{group}' starts the domain")]
    [InlineData("{username}.example.com", "has an unknown placeholder: only '{user}' and '{group}' exist")]
    [InlineData("{user}-{id}.example.com", "has an unknown placeholder: only '{user}' and '{group}' exist")]
    [InlineData("{user}-files..example.com", "is not a valid domain: it has an empty label")]
    [InlineData("{user}-bücher.example.com", "is not a valid domain: use")]
    [InlineData("{user} files.example.com", "is not a valid domain: use 'host', '*.suffix', or '{user}' or '{group}' followed by the rest of the host")]
    public void Malformed_placeholder_domains_are_errors_with_their_yaml_path(string domain, string problem)
    {
        var error = Assert.Single(Errors(ValidateRule(Rule("one_factor", domain))));
        Assert.StartsWith($"access_control: rules[1]: option 'domain' value '{domain}' {problem}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bypass_with_a_placeholder_prefix_domain_is_an_error() =>
        Assert.Equal(["access_control: rules[1]: 'policy' option 'bypass' is not supported when 'domain' option contains '{user}' or '{group}'"],
            Errors(ValidateRule(Rule("bypass", "{user}-files.example.com"))));

    [Theory]
    [InlineData(@"^/(?P<User>\w+)/personal$")]
    [InlineData(@"^/(?P<Group>\w+)/group$")]
    public void Bypass_with_a_User_or_Group_named_group_in_resources_is_an_error(string pattern) =>
        Assert.Equal(["access_control: rules[1]: 'policy' option 'bypass' is not supported when 'resources' option contains the User or Group named groups"],
            Errors(ValidateRule(new AccessControlRuleOptions { Domain = ["id.example.com"], Policy = "bypass", Resources = ["^/public$", pattern] })));

    [Fact]
    public void Identity_bound_resources_are_valid_with_any_other_policy()
    {
        var diag = ValidateRule(new AccessControlRuleOptions { Domain = ["id.example.com"], Policy = "deny", Resources = [@"^/(?P<User>\w+)/personal$"] });
        Assert.Empty(Errors(diag));
        Assert.Empty(Warnings(diag));
    }

    [Fact]
    public void Validate_config_accepts_placeholder_prefix_domains_and_identity_bound_resources_and_names_the_path_of_a_malformed_one()
    {
        using var dir = new TempDirectory();
        var minimal = Portal.Tests.Configuration.ConfigLoaderTests.MinimalYaml;
        var baseYaml = minimal[..minimal.IndexOf("access_control:", StringComparison.Ordinal)];
        var good = dir.File("good.yml");
        File.WriteAllText(good, baseYaml + """

            access_control:
              default_policy: deny
              rules:
                - domain: '{user}-files.example.com'
                  policy: one_factor
                - domain: ['{group}-wiki.example.com']
                  policy: two_factor
                - domain: 'id.example.com'
                  resources: ['^/(?P<User>[a-zA-Z0-9]+)/personal(/|/.*)?$']
                  policy: one_factor
            """);
        var (code, stdout, stderr) = RunValidateConfig(good);
        Assert.True(code == 0, stderr);
        Assert.Equal(Portal.Cli.ValidateConfigCommand.Success, stdout.Trim());

        var bad = dir.File("bad.yml");
        File.WriteAllText(bad, baseYaml + """

            access_control:
              default_policy: deny
              rules:
                - domain: 'files-{user}.example.com'
                  policy: one_factor
            """);
        (code, _, stderr) = RunValidateConfig(bad);
        Assert.Equal(1, code);
        Assert.Contains("access_control: rules[0]: option 'domain' value 'files-{user}.example.com' has its placeholder after the start", stderr, StringComparison.Ordinal);
    }

    private static (int Code, string Out, string Err) RunValidateConfig(string file)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Portal.Cli.ValidateConfigCommand.Run(["--config", file], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Networks_must_be_ips_cidrs_or_defined_names()
    {
        var diag = Validate(
            new AccessControlOptions
            {
                DefaultPolicy = "deny",
                Networks = [new() { Name = "legacy", Networks = ["172.16.0.0/12", "300.1.1.1"] }],
                Rules = [new() { Domain = ["a.example.com"], Policy = "deny", Networks = ["internal", "legacy", "10.0.0.1", "::1/128", "nowhere", "10.0.0.0/33", "10.1"] }],
            },
            new DefinitionsOptions { Network = new Dictionary<string, IReadOnlyList<string>> { ["internal"] = ["10.0.0.0/8", "bad"] } });
        Assert.Equal(
        [
            "definitions: network: internal: value 'bad' is not a valid IP address or CIDR network",
            "access_control: networks[0]: option 'networks' value '300.1.1.1' is not a valid IP address or CIDR network",
            "access_control: rules[0]: option 'networks' value 'nowhere' is not an IP address, a CIDR network or the name of a defined network",
            "access_control: rules[0]: option 'networks' value '10.0.0.0/33' is not an IP address, a CIDR network or the name of a defined network",
            "access_control: rules[0]: option 'networks' value '10.1' is not an IP address, a CIDR network or the name of a defined network",
        ], Errors(diag));
    }

    [Fact]
    public void Network_name_defined_in_both_places_is_an_error() =>
        Assert.Equal(["access_control: networks[0]: option 'name' 'lan' is also defined in 'definitions.network': define each network once"],
            Errors(Validate(
                new AccessControlOptions { DefaultPolicy = "deny", Networks = [new() { Name = "lan", Networks = ["10.0.0.0/8"] }], Rules = [Rule("deny", "a.example.com")] },
                new DefinitionsOptions { Network = new Dictionary<string, IReadOnlyList<string>> { ["lan"] = ["192.168.0.0/16"] } })));
}
