using System.Net.Sockets;
using System.Text;
using Portal.Demo;

namespace Portal.Tests.Demo;

/// <summary>
/// The demo (portal + gateway + demo app on one port) under request targets that Kestrel, the rules and the app
/// could read differently: the two-factor page never opens without two factors, the one-factor page never without
/// a sign-in. Sent byte for byte (an HttpClient would normalise them first).
/// </summary>
public sealed class DemoPathSpellingTests(DemoFixture fixture) : IClassFixture<DemoFixture>
{
    private const string TwoFactorPage = "<h1>Two-factor page</h1>";
    private const string OneFactorPage = "<h1>One-factor page</h1>";

    private DemoHost Demo => fixture.Demo;

    [Theory]
    [InlineData("/x#/../two-factor")]
    [InlineData("/public#/../two-factor")]
    [InlineData("/two-factor/.;/..")]
    [InlineData("/two-factor/..;/")]
    [InlineData("/two-factor/..;/public")]
    [InlineData("/two-factor//../public")]
    [InlineData("/two-factor/%2e%2e/public")]
    [InlineData("/two-factor/..%2Fpublic")]
    [InlineData("/two-factor\\..\\public")]
    [InlineData("/public/../two-factor")]
    [InlineData("/public/..%2Ftwo-factor")]
    [InlineData("/public%2F..%2Ftwo-factor")]
    [InlineData("/two-factor;x")]
    [InlineData("/two-factor%3B")]
    [InlineData("/two-factor%00")]
    [InlineData("/two-factor/%c0%ae%c0%ae/public")]
    public async Task The_two_factor_page_never_opens_for_an_anonymous_client_under_any_spelling(string target)
    {
        var answer = await SendAsync(target);
        Assert.DoesNotContain(TwoFactorPage, answer, StringComparison.Ordinal);
        Assert.DoesNotContain(OneFactorPage, answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/public#/../one-factor")]
    [InlineData("/one-factor/.;/..")]
    [InlineData("/one-factor/..;/public")]
    public async Task The_one_factor_page_never_opens_for_an_anonymous_client_under_any_spelling(string target) =>
        Assert.DoesNotContain(OneFactorPage, await SendAsync(target), StringComparison.Ordinal);

    [Fact]
    public async Task A_hash_in_the_request_target_is_refused_with_400()
    {
        var answer = await SendAsync("/x#/../two-factor");
        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_plain_public_page_still_opens()
    {
        // Without this the tests above could pass by refusing everything.
        var answer = await SendAsync("/public");
        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Contains("<h1>Public page</h1>", answer, StringComparison.Ordinal);
    }

    private async Task<string> SendAsync(string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, Demo.Port);
        var stream = tcp.GetStream();
        var request = $"GET {target} HTTP/1.1\r\nHost: {DemoHost.AppHost}:{Demo.Port}\r\nAccept: text/html\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        try
        {
            return await reader.ReadToEndAsync();
        }
        catch (IOException)
        {
            return ""; // the server dropped the connection on the request line: nothing was served
        }
    }
}
