using Portal.Cli;
using Portal.Tests.Configuration;

namespace Portal.Tests.Cli;

public sealed class SessionsCommandUsageTests
{
    private static async Task<(int Exit, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await SessionsCommands.RunAsync(args, stdout, stderr, _ => ConfigLoaderTests.LoadOverMinimal("log:\n  level: info\n"));
        return (exit, stderr.ToString());
    }

    [Fact]
    public async Task With_sessions_in_memory_the_command_says_where_they_are_instead()
    {
        var (exit, err) = await RunAsync("list", "--config", "portal.yml", "--user", "john");

        Assert.Equal(1, exit);
        Assert.Contains("sessions are kept in the memory of the running portal", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_without_a_session_or_all_is_refused_before_anything_is_ended()
    {
        var (exit, err) = await RunAsync("revoke", "--config", "portal.yml", "--user", "john");

        Assert.Equal(1, exit);
        Assert.Contains("needs --session HANDLE", err, StringComparison.Ordinal);
    }
}
