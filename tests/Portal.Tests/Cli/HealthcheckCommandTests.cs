using System.Globalization;
using Portal.Cli;
using Portal.Configuration;
using Portal.Infrastructure;
using Portal.Tests.Support;

namespace Portal.Tests.Cli;

public sealed class HealthcheckCommandTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var code = await CliApp.RunAsync(["healthcheck", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Healthcheck_exits_0_when_the_portal_answers_200()
    {
        await using var portal = await PortalTestHost.StartAsync();
        var (code, output, _) = await Run("--url", new Uri(portal.BaseAddress, "/api/health").AbsoluteUri);
        Assert.Equal(0, code);
        Assert.Contains("200", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthcheck_finds_the_portal_from_the_config_s_server_address()
    {
        await using var portal = await PortalTestHost.StartAsync();
        var overrides = Path.Combine(portal.DirectoryPath, "address.yml");
        File.WriteAllText(overrides, $"server:\n  address: 'tcp://127.0.0.1:{portal.BaseAddress.Port}/'\n");
        var (code, _, error) = await Run("--config", Path.Combine(portal.DirectoryPath, "config.yml"), "--config", overrides);
        Assert.True(code == 0, error);
    }

    [Fact]
    public async Task Healthcheck_exits_1_when_nothing_listens()
    {
        var port = LoopbackPort.Free();
        var (code, _, error) = await Run("--url", $"http://127.0.0.1:{port}/api/health");
        Assert.Equal(1, code);
        Assert.Contains("Unhealthy", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthcheck_exits_1_when_the_answer_is_not_200()
    {
        await using var portal = await PortalTestHost.StartAsync();
        var (code, _, error) = await Run("--url", new Uri(portal.BaseAddress, "/api/no-such-endpoint").AbsoluteUri);
        Assert.Equal(1, code);
        Assert.Contains("404", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthcheck_rejects_a_URL_that_is_not_http()
    {
        var (code, _, error) = await Run("--url", "ftp://127.0.0.1/api/health");
        Assert.Equal(1, code);
        Assert.Contains("--url", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp://:9091/", false, "http://127.0.0.1:9091/api/health")]
    [InlineData("tcp://0.0.0.0:9091/", true, "https://127.0.0.1:9091/api/health")]
    [InlineData("tcp6://[::]:9091/", false, "http://[::1]:9091/api/health")]
    [InlineData("tcp://10.1.2.3:9091/portal", false, "http://10.1.2.3:9091/portal/api/health")]
    [InlineData("unix:///run/portal.sock", false, "http://localhost/api/health")]
    public void Health_URL_is_derived_from_the_listen_address(string listen, bool https, string expected)
    {
        Assert.True(ListenAddress.TryParse(listen, out var address, out var error), error);
        Assert.Equal(expected, HealthcheckCommand.HealthUrl(address, https).Url.AbsoluteUri);
    }
}
