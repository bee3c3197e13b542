using Portal.Tests.Configuration;
using Portal.Tests.Gateway;
using Portal.Tests.Support;

namespace Portal.Tests.Cli;

/// <summary>Runs the real <c>portal</c> executable, as an admin would.</summary>
[Trait("Category", "Integration")]
public sealed class CliProcessTests
{
    [Fact]
    public async Task Validate_config_accepts_the_template_with_one_line_and_exit_0()
    {
        var (code, stdout, stderr) = await PortalProcess.RunAsync("validate-config", "--config", RepositoryFiles.Path("config.template.yml"));
        Assert.True(code == 0, stderr);
        Assert.Equal("Configuration parsed and loaded successfully without errors.", stdout.Trim());
    }

    [Fact]
    public async Task Validate_config_lists_every_error_and_exits_1()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("config.yml", ConfigLoaderTests.MinimalYaml + "\nlog:\n  level: loud\n  formatt: json\nregulation:\n  find_time: soon\n");
        var (code, stdout, stderr) = await PortalProcess.RunAsync("validate-config", "--config", file);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("Configuration has 3 errors:", stderr, StringComparison.Ordinal);
        Assert.Contains("log: option 'level' must be one of", stderr, StringComparison.Ordinal);
        Assert.Contains("log: option 'formatt' is not a known option — did you mean 'format'? (line 19)", stderr, StringComparison.Ordinal);
        Assert.Contains("regulation: option 'find_time' must be a duration", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_config_option_is_a_usage_error()
    {
        var (code, _, stderr) = await PortalProcess.RunAsync("validate-config");
        Assert.Equal(1, code);
        Assert.Contains("option --config is required", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_policy_on_the_template_prints_the_matching_rule_as_json()
    {
        var template = RepositoryFiles.Path("config.template.yml");
        var (code, stdout, stderr) = await PortalProcess.RunAsync("access-control", "check-policy", "--config", template,
            "--url", "https://public.example.com/", "--json");
        Assert.True(code == 0, stderr);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal("bypass", json.RootElement.GetProperty("policy").GetString());
    }

    [Fact]
    public async Task Portal_gateway_without_a_portal_url_exits_1_naming_the_option()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("gateway.yml", "gateway:\n  routes:\n" + GatewayValidatorTests.Route);
        var (code, _, stderr) = await PortalProcess.RunAsync("gateway", "--config", file);
        Assert.Equal(1, code);
        Assert.Contains("gateway: option 'portal_url' is required", stderr, StringComparison.Ordinal);
    }
}
