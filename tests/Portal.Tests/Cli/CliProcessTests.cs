using System.Diagnostics;
using Portal.Tests.Configuration;

namespace Portal.Tests;

/// <summary>Runs the real <c>portal</c> executable, as an admin would.</summary>
public sealed class CliProcessTests
{
    internal static (int ExitCode, string Stdout, string Stderr) RunPortal(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "portal.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("PORTAL_CONFIG");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("portal did not exit within 60 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void Validate_config_accepts_the_template_with_one_line_and_exit_0()
    {
        var (code, stdout, stderr) = RunPortal("validate-config", "--config", Path.Combine(ConfigLoaderTests.RepositoryRoot(), "config.template.yml"));
        Assert.True(code == 0, stderr);
        Assert.Equal("Configuration parsed and loaded successfully without errors.", stdout.Trim());
    }

    [Fact]
    public void Validate_config_lists_every_error_and_exits_1()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, ConfigLoaderTests.MinimalYaml + "\nlog:\n  level: loud\n  formatt: json\nregulation:\n  find_time: soon\n");
            var (code, stdout, stderr) = RunPortal("validate-config", "--config", file);
            Assert.Equal(1, code);
            Assert.Equal("", stdout);
            Assert.Contains("Configuration has 3 errors:", stderr, StringComparison.Ordinal);
            Assert.Contains("log: option 'level' must be one of", stderr, StringComparison.Ordinal);
            Assert.Contains("log: option 'formatt' is not a known option — did you mean 'format'? (line 19)", stderr, StringComparison.Ordinal);
            Assert.Contains("regulation: option 'find_time' must be a duration", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Missing_config_option_is_a_usage_error()
    {
        var (code, _, stderr) = RunPortal("validate-config");
        Assert.Equal(1, code);
        Assert.Contains("option --config is required", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_policy_on_the_template_prints_the_matching_rule_as_json()
    {
        var template = Path.Combine(ConfigLoaderTests.RepositoryRoot(), "config.template.yml");
        var (code, stdout, stderr) = RunPortal("access-control", "check-policy", "--config", template,
            "--url", "https://public.example.com/", "--json");
        Assert.True(code == 0, stderr);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal("bypass", json.RootElement.GetProperty("policy").GetString());
    }
}
