using System.Diagnostics;
using System.Net;
using Portal.Tests.Configuration;
using Portal.Tests.Demo;
using Portal.Tests.Storage;

namespace Portal.Tests;

/// <summary>The README's first command is what a newcomer types; it must start the working demo from a clean tree.</summary>
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
    public void The_readme_opens_with_the_demo_command_then_the_test_command()
    {
        Assert.Equal("dotnet run --project src/Portal -- demo", FirstReadmeCommand());
        var readme = File.ReadAllText(Path.Combine(ConfigLoaderTests.RepositoryRoot(), "README.md"));
        Assert.Contains("bash scripts/test.sh", readme.Split("```")[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_image_the_readme_shows_is_in_the_repository()
    {
        var root = ConfigLoaderTests.RepositoryRoot();
        var images = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(root, "README.md")), @"!\[[^\]]*\]\((?<path>[^)]+)\)")
            .Select(m => m.Groups["path"].Value).ToList();

        Assert.NotEmpty(images);
        Assert.All(images, path => Assert.True(File.Exists(Path.Combine(root, path)), $"README shows {path}, which does not exist"));
    }

    [Fact]
    public async Task The_readme_run_command_starts_the_demo_with_its_sign_in_instructions_from_the_repository_root()
    {
        using var dir = new TempDirectory();
        var port = DemoClient.FreePort();
        var state = dir.File("state");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = ConfigLoaderTests.RepositoryRoot() };
        start.ArgumentList.Add("-c");
        // Same command, but on a free port and with its state in a temp dir, so the test neither collides with a
        // running demo nor leaves a database in the checkout.
        start.ArgumentList.Add($"exec {FirstReadmeCommand()} --port {port} --state-dir '{state}'");
        start.Environment.Remove("PORTAL_CONFIG");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var client = new DemoClient(port);
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            HttpStatusCode? status = null;
            while (status is null && DateTime.UtcNow < deadline && !process.HasExited)
            {
                try
                {
                    // Through the gateway, on the portal's demo name, as the browser reaches it.
                    using var response = await client.GetPageAsync(client.Portal("/api/health"));
                    status = response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(250);
                }
            }
            Assert.True(status == HttpStatusCode.OK, $"no healthy portal behind the demo gateway (status {status}, exited {process.HasExited})");
            using var app = await client.GetPageAsync(client.App("/"));
            Assert.Equal(HttpStatusCode.OK, app.StatusCode);
            Assert.True(File.Exists(Path.Combine(state, "session_secret")));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync();
        }
        var output = await stdout;
        _ = await stderr;
        // What the newcomer must read: where to go, who to sign in as, where the codes are.
        Assert.Contains($"Open http://app.demo.localhost:{port}/", output, StringComparison.Ordinal);
        Assert.Contains("demo / portal-demo", output, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(state, "notification.txt"), output, StringComparison.Ordinal);
    }
}
