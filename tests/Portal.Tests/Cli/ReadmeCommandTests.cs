using System.Diagnostics;
using System.Net;
using Portal.Tests.Demo;
using Portal.Tests.Support;

namespace Portal.Tests.Cli;

/// <summary>The README's first command is what a newcomer types; it must start the working demo from a clean tree.</summary>
public sealed class ReadmeCommandTests
{
    /// <summary>The first line of the README's first bash block, without its trailing comment.</summary>
    internal static string FirstReadmeCommand()
    {
        var lines = File.ReadAllLines(RepositoryFiles.Path("README.md"));
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
        var readme = File.ReadAllText(RepositoryFiles.Path("README.md"));
        Assert.Contains("bash scripts/test.sh", readme.Split("```")[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_image_the_readme_shows_is_in_the_repository()
    {
        var root = RepositoryFiles.Root;
        var images = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(root, "README.md")), @"!\[[^\]]*\]\((?<path>[^)]+)\)")
            .Select(m => m.Groups["path"].Value).ToList();

        Assert.NotEmpty(images);
        Assert.All(images, path => Assert.True(File.Exists(Path.Combine(root, path)), $"README shows {path}, which does not exist"));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task The_readme_run_command_starts_the_demo_with_its_sign_in_instructions_from_the_repository_root()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        var state = dir.File("state");
        var start = new ProcessStartInfo("bash") { WorkingDirectory = RepositoryFiles.Root };
        start.ArgumentList.Add("-c");
        // Same command, but on a free port and with its state in a temp dir, so the test neither collides with a
        // running demo nor leaves a database in the checkout.
        start.ArgumentList.Add($"exec {FirstReadmeCommand()} --port {port} --state-dir '{state}'");
        using var client = new DemoClient(port);
        var demo = PortalProcess.Start(start);
        await using (demo)
        {
            // Through the gateway, on the portal's demo name, as the browser reaches it.
            var status = await demo.FirstAnswerAsync(() => client.GetPageAsync(client.Portal("/api/health")), TimeSpan.FromMinutes(3));
            Assert.True(status == HttpStatusCode.OK, $"no healthy portal behind the demo gateway (status {status})");
            using var app = await client.GetPageAsync(client.App("/"));
            Assert.Equal(HttpStatusCode.OK, app.StatusCode);
            Assert.True(File.Exists(Path.Combine(state, "session_secret")));
        }
        var output = await demo.Stdout;
        // What the newcomer must read: where to go, who to sign in as, where the codes are.
        Assert.Contains($"Open http://app.demo.localhost:{port}/", output, StringComparison.Ordinal);
        Assert.Contains("demo / portal-demo", output, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(state, "notification.txt"), output, StringComparison.Ordinal);
    }
}
