using Portal.Cli;
using Portal.Configuration;

namespace Portal.Tests.Authorization;

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
            Portal.Authorization.AccessControlValidator.Validate(options, diag);
            return new ConfigLoadResult(options, diag);
        });
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static PortalOptions Docs() => new() { AccessControl = AclTestData.DocsStyle() };

    [Fact]
    public void Json_prints_one_line_with_policy_rule_and_potential()
    {
        var (code, stdout, _) = Run(Docs(), "check-policy", "--config", "c.yml", "--url", "https://secure.example.com/", "--ip", "192.0.2.1", "--username", "john", "--json");
        Assert.Equal(0, code);
        Assert.Equal("{\"policy\":\"two_factor\",\"rule\":4,\"potential\":false}" + Environment.NewLine, stdout);
    }

    [Fact]
    public void Json_rule_is_null_when_the_default_policy_applies()
    {
        var (code, stdout, _) = Run(Docs(), "check-policy", "--config", "c.yml", "--url", "https://example.com/", "--json");
        Assert.Equal(0, code);
        Assert.Equal("{\"policy\":\"deny\",\"rule\":null,\"potential\":false}", stdout.Trim());
    }

    [Fact]
    public void Json_reports_a_potential_match_for_an_anonymous_user()
    {
        var (_, stdout, _) = Run(Docs(), "check-policy", "--config", "c.yml", "--url", "https://mx2.mail.example.com/", "--json");
        Assert.Equal("{\"policy\":\"deny\",\"rule\":6,\"potential\":true}", stdout.Trim());
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

    [Theory]
    [InlineData("check-policy", "--config", "c.yml")]
    [InlineData("check-policy", "--url", "https://a.example.com/")]
    [InlineData("check-policy", "--config", "c.yml", "--url", "/relative")]
    [InlineData("check-policy", "--config", "c.yml", "--url", "https://a.example.com/", "--ip", "nope")]
    [InlineData("check-policy", "--config", "c.yml", "--url", "https://a.example.com/", "--bogus", "x")]
    [InlineData("explain")]
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
        var options = new PortalOptions();
        options.AccessControl.Rules.Add(new AccessControlRuleOptions { Domain = ["a.example.com"], Policy = "bypass", Subject = [["user:john"]] });
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
}
