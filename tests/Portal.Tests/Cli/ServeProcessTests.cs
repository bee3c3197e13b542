using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Portal.Tests.Storage;
using Portal.Tests.Support;

namespace Portal.Tests;

/// <summary><c>portal serve</c> as a real process: JSON logs on stdout, and a clean exit on SIGTERM (systemd, Docker).</summary>
public sealed class ServeProcessTests
{
    [Fact]
    public async Task Serve_logs_json_when_asked_and_exits_0_on_sigterm()
    {
        using var dir = new TempDirectory();
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        File.WriteAllText(dir.File("users.yml"), PortalTestHost.UsersYaml);
        File.WriteAllText(dir.File("config.yml"), $"""
            server:
              address: 'tcp://127.0.0.1:{port}/'
            log:
              level: info
              format: json
            authentication_backend:
              file:
                path: users.yml
            session:
              cookies:
                - domain: example.com
                  authelia_url: https://auth.example.com/
            storage:
              encryption_key: a-very-long-encryption-key-for-the-tests
              local:
                path: db.sqlite3
            notifier:
              filesystem:
                filename: notification.txt
            access_control:
              default_policy: one_factor
            """);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "portal.dll"));
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(dir.File("config.yml"));
        start.Environment.Remove("PORTAL_CONFIG");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            HttpStatusCode? status = null;
            for (var deadline = DateTime.UtcNow.AddMinutes(1); status is null && DateTime.UtcNow < deadline && !process.HasExited;)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/api/health"));
                    status = response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(200);
                }
            }
            Assert.Equal(HttpStatusCode.OK, status);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exit.Token);
            Assert.True(process.ExitCode == 0, await stderr);

            // Every log line on stdout is a JSON object with a timestamp and a message template.
            var logLines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).ToList();
            Assert.NotEmpty(logLines);
            foreach (var line in logLines)
            {
                using var json = JsonDocument.Parse(line);
                Assert.True(json.RootElement.TryGetProperty("@t", out _), line);
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
