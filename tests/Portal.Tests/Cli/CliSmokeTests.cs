using Portal.Cli;

namespace Portal.Tests.Cli;

public sealed class CliSmokeTests
{
    [Fact]
    public async Task Unknown_command_exits_1_with_a_message()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["frobnicate"], stdout, stderr);
        Assert.Equal(1, code);
        Assert.Contains("unknown command 'frobnicate'", stderr.ToString(), StringComparison.Ordinal);
    }
}
