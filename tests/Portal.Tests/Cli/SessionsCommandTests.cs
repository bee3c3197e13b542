using System.Globalization;
using System.Net;
using Portal.Cli;
using Portal.Tests.Configuration;
using Portal.Tests.Session;
using Portal.Tests.Support;

namespace Portal.Tests.Cli;

/// <summary><c>portal sessions list|revoke</c> against a running portal's real Redis: what an admin does after a lost laptop.</summary>
[Trait("Category", "Integration")]
public sealed class SessionsCommandTests : IDisposable
{
    private readonly RedisServerFixture _redis = new();

    private string RedisYaml => _redis.SessionYaml("2s");

    public void Dispose() => _redis.Dispose();

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await SessionsCommands.RunAsync([.. args, "--config", "portal.yml"], stdout, stderr, _ => ConfigLoaderTests.LoadOverMinimal(RedisYaml));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static async Task<HttpStatusCode> StatusAsync(PortalTestHost portal, string cookie)
    {
        using var response = await portal.ForwardAuthAsync("https://app.example.com/", cookie: cookie);
        return response.StatusCode;
    }

    [Fact]
    public async Task An_admin_lists_a_users_sessions_and_ends_one_then_all()
    {
        await using var portal = await PortalTestHost.StartAsync(RedisYaml);
        var laptop = await portal.LoginAsync("john");
        var phone = await portal.LoginAsync("john");
        var bob = await portal.LoginAsync("bob");

        var (exit, listing, _) = await RunAsync("list", "--user", "John");

        Assert.Equal(0, exit);
        var handles = listing.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(' ')[0]).ToList();
        Assert.Equal(2, handles.Count);
        Assert.Contains(Portal.Session.SessionHandles.Of(laptop), handles);
        Assert.DoesNotContain(laptop, listing, StringComparison.Ordinal);

        var (revoked, said, _) = await RunAsync("revoke", "--user", "john", "--session", Portal.Session.SessionHandles.Of(laptop));
        Assert.Equal(0, revoked);
        Assert.Contains("ended 1 session(s) of john", said, StringComparison.Ordinal);
        await Eventually.UntilAsync("the laptop's session to be refused", async () => await StatusAsync(portal, laptop) == HttpStatusCode.Found);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(portal, phone));

        Assert.Equal(0, (await RunAsync("revoke", "--user", "john", "--all")).Exit);
        await Eventually.UntilAsync("the phone's session to be refused", async () => await StatusAsync(portal, phone) == HttpStatusCode.Found);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(portal, bob));
    }

    [Fact]
    public async Task Revoking_an_unknown_handle_ends_nothing_and_fails()
    {
        await using var portal = await PortalTestHost.StartAsync(RedisYaml);
        var cookie = await portal.LoginAsync("john");

        var (exit, said, _) = await RunAsync("revoke", "--user", "john", "--session", "not-a-handle");

        Assert.Equal(1, exit);
        Assert.Contains("ended 0 session(s)", said, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(portal, cookie));
    }
}
