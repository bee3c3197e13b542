using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure;
using Portal.Tests.Support;

namespace Portal.Tests.Gateway;

/// <summary>
/// <c>gateway.routes</c> reloaded in a running <c>portal serve</c> (portal and gateway in one process), with the access
/// rules: the next request follows the new routes, an invalid edit changes nothing, and under load every request is
/// served by the old routes or the new ones, never refused in between.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GatewayReloadTests
{
    private const string Log = "\nlog:\n  level: info\n  file_path: portal.log\n";

    private static Task<GatewayTestHost> StartAsync() =>
        GatewayTestHost.StartInProcessAsync(extraYaml: Log, reloadable: true);

    private static string ExtraFile(GatewayTestHost host) => Path.Combine(host.Portal.DirectoryPath, "extra.yml");

    /// <summary>Rewrites the gateway's file in one step (write a temporary, rename over), as editors do.</summary>
    private static async Task EditAsync(GatewayTestHost host, Func<string, string> change)
    {
        var path = ExtraFile(host);
        var edited = change(await File.ReadAllTextAsync(path));
        await File.WriteAllTextAsync(path + ".new", edited);
        File.Move(path + ".new", path, overwrite: true);
    }

    private static string Upstream(EchoUpstream upstream) => upstream.BaseAddress.ToString();

    private static async Task<string> LogAsync(GatewayTestHost host)
    {
        await using var stream = new FileStream(Path.Combine(host.Portal.DirectoryPath, "portal.log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task An_added_route_serves_the_next_request_from_its_upstream_without_a_restart()
    {
        await using var host = await StartAsync();
        await using var other = await EchoUpstream.StartAsync();
        using (var before = await host.GetAsync("public.example.com", "/added/before"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        Assert.Contains(host.Upstream.Requests, r => r.PathAndQuery == "/added/before");

        await EditAsync(host, yaml => yaml.Replace(
            "    - hosts: ['*.example.com', '*.example.net']",
            "    - hosts: ['public.example.com']\n      path: '/added'\n      upstreams: ['" + Upstream(other) + "']\n    - hosts: ['*.example.com', '*.example.net']",
            StringComparison.Ordinal));

        await Eventually.UntilAsync("the new route to serve", async () =>
        {
            using var response = await host.GetAsync("public.example.com", "/added/after");
            return response.StatusCode == HttpStatusCode.OK && other.Requests.Any(r => r.PathAndQuery == "/added/after");
        });
        using (var elsewhere = await host.GetAsync("public.example.com", "/elsewhere"))
        {
            Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        }
        Assert.Contains(host.Upstream.Requests, r => r.PathAndQuery == "/elsewhere");
        Assert.DoesNotContain(other.Requests, r => r.PathAndQuery == "/elsewhere");
        await Eventually.UntilAsync("the reload to be logged", async () =>
            (await LogAsync(host)).Contains("Gateway routes reloaded: 4 route(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_route_keeps_the_running_routes_and_is_reported_with_its_yaml_path()
    {
        await using var host = await StartAsync();
        var reloader = host.Portal.App.Services.GetRequiredService<ConfigReloader>();

        await EditAsync(host, yaml => yaml.Replace(Upstream(host.Upstream), "ftp://files.example.com/", StringComparison.Ordinal));

        await Eventually.UntilAsync("the failed reload", () => reloader.Status is { Succeeded: false });
        await Eventually.UntilAsync("the error to be logged with its YAML path", async () =>
            (await LogAsync(host)).Contains("gateway: routes[0]: upstreams[0]: 'ftp://files.example.com/' must be an absolute http(s) URL", StringComparison.Ordinal));
        host.Upstream.Clear();
        using var response = await host.GetAsync("public.example.com", "/still-served");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(host.Upstream.Requests, r => r.PathAndQuery == "/still-served");
    }

    [Fact]
    public async Task A_change_of_the_gateway_listener_is_logged_as_needing_a_restart_and_the_routes_stay()
    {
        await using var host = await StartAsync();
        await using var other = await EchoUpstream.StartAsync();

        await EditAsync(host, yaml => yaml.Replace("address: 'tcp://127.0.0.1:0/'", "address: 'tcp://127.0.0.1:1/'", StringComparison.Ordinal)
            .Replace(Upstream(host.Upstream), Upstream(other), StringComparison.Ordinal));

        await Eventually.UntilAsync("the reload to be logged", async () =>
            (await LogAsync(host)).Contains("'gateway' changed but only takes effect after a restart", StringComparison.Ordinal));
        using var response = await host.GetAsync("public.example.com", "/unchanged");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(host.Upstream.Requests, r => r.PathAndQuery == "/unchanged");
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task Under_concurrent_requests_every_request_is_served_by_the_old_routes_or_the_new_never_refused()
    {
        await using var host = await StartAsync();
        await using var other = await EchoUpstream.StartAsync();
        var statuses = new ConcurrentBag<HttpStatusCode>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                using var response = await host.GetAsync("public.example.com", $"/load/{worker}/{i}");
                statuses.Add(response.StatusCode);
            }
        })).ToList();

        await EditAsync(host, yaml => yaml.Replace(Upstream(host.Upstream), Upstream(other), StringComparison.Ordinal));
        await Eventually.UntilAsync("requests to reach the new upstream", () => other.Requests.Any(r => r.PathAndQuery.StartsWith("/load/", StringComparison.Ordinal)));
        await Task.Delay(200);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var served = host.Upstream.Requests.Count(r => r.PathAndQuery.StartsWith("/load/", StringComparison.Ordinal))
            + other.Requests.Count(r => r.PathAndQuery.StartsWith("/load/", StringComparison.Ordinal));
        Assert.Equal(statuses.Count, served);
    }
}
