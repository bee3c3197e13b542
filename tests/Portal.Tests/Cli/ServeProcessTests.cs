using System.Net;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Cli;

/// <summary>
/// <c>portal serve</c> as a real process: JSON logs on stdout, a clean exit on SIGTERM (systemd, Docker), and SIGHUP
/// (<c>systemctl reload</c>, <c>docker kill -s HUP</c>) reloading the configuration instead of ending the process.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ServeProcessTests
{
    [Fact]
    public async Task Serve_logs_json_when_asked_and_exits_0_on_sigterm()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        var config = PortalTestHost.WriteConfig(dir);
        var overrides = dir.Write("serve.yml", $"server:\n  address: 'tcp://127.0.0.1:{port}/'\nlog:\n  level: info\n  format: json\n");
        await using var portal = PortalProcess.Start(PortalProcess.Command("serve", "--config", config, "--config", overrides));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var status = await portal.FirstAnswerAsync(() => client.GetAsync(new Uri($"http://127.0.0.1:{port}/api/health")), TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, status);

        await portal.TerminateAsync();
        Assert.True(portal.ExitCode == 0, await portal.Stderr);

        // Every log line on stdout is a JSON object with a timestamp and a message template.
        var logLines = (await portal.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).ToList();
        Assert.NotEmpty(logLines);
        foreach (var line in logLines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.True(json.RootElement.TryGetProperty("@t", out _), line);
        }
    }

    [Fact]
    public async Task Sighup_reloads_the_configuration_of_a_running_serve_instead_of_stopping_it()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        var config = PortalTestHost.WriteConfig(dir);
        var overrides = dir.Write("serve.yml", $"server:\n  address: 'tcp://127.0.0.1:{port}/'\nlog:\n  level: info\n");
        await using var portal = PortalProcess.Start(PortalProcess.Command("serve", "--config", config, "--config", overrides));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var health = new Uri($"http://127.0.0.1:{port}/api/health");
        Assert.Equal(HttpStatusCode.OK, await portal.FirstAnswerAsync(() => client.GetAsync(health), TimeSpan.FromMinutes(1)));

        await portal.SignalAsync("HUP");

        await Eventually.UntilAsync("the reload to be logged", () => portal.Output.Contains("Configuration reloaded: the access rules are unchanged", StringComparison.Ordinal));
        Assert.Contains("Configuration reload requested by SIGHUP", portal.Output, StringComparison.Ordinal);
        Assert.False(portal.HasExited);
        using var after = await client.GetAsync(health);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
