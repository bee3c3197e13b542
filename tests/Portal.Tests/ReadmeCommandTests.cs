using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Portal.Tests.Configuration;
using Portal.Tests.Storage;

namespace Portal.Tests;

/// <summary>The README's first command is what a newcomer types; it must start a working portal from a clean tree.</summary>
public sealed class ReadmeCommandTests
{
    /// <summary>The first line of the README's first bash block, without its trailing comment.</summary>
    internal static string FirstReadmeCommand()
    {
        var lines = File.ReadAllLines(Path.Combine(ConfigLoaderTests.RepositoryRoot(), "README.md"));
        var start = Array.FindIndex(lines, l => l.Trim() == "```bash");
        Assert.True(start >= 0, "README has no ```bash block");
        var line = lines[start + 1];
        var comment = line.IndexOf('#', StringComparison.Ordinal);
        return (comment >= 0 ? line[..comment] : line).Trim();
    }

    [Fact]
    public void The_readme_opens_with_the_run_command_then_the_test_command()
    {
        Assert.StartsWith("dotnet run --project src/Portal", FirstReadmeCommand(), StringComparison.Ordinal);
        var readme = File.ReadAllText(Path.Combine(ConfigLoaderTests.RepositoryRoot(), "README.md"));
        Assert.Contains("bash scripts/test.sh", readme.Split("```")[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_readme_run_command_serves_a_healthy_portal_from_the_repository_root()
    {
        using var dir = new TempDirectory();
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = ConfigLoaderTests.RepositoryRoot() };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec " + FirstReadmeCommand());
        // Same command, but on a free port and with its state in a temp dir, so the test neither collides with a
        // running demo nor leaves a database in the checkout.
        start.Environment["PORTAL_SERVER_ADDRESS"] = $"tcp://127.0.0.1:{port}/";
        start.Environment["PORTAL_STORAGE_LOCAL_PATH"] = dir.File("db.sqlite3");
        start.Environment["PORTAL_NOTIFIER_FILESYSTEM_FILENAME"] = dir.File("notification.txt");
        start.Environment.Remove("PORTAL_CONFIG");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddMinutes(3);
            HttpStatusCode? status = null;
            while (status is null && DateTime.UtcNow < deadline && !process.HasExited)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/api/health"));
                    status = response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(250);
                }
            }
            Assert.True(status == HttpStatusCode.OK, $"no healthy portal (status {status}, exited {process.HasExited})");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync();
            _ = await stdout;
            _ = await stderr;
        }
    }
}
