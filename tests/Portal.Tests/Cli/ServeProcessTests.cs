using System.Net;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Cli;

/// <summary><c>portal serve</c> as a real process: JSON logs on stdout, and a clean exit on SIGTERM (systemd, Docker).</summary>
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
}
