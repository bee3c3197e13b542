using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure;
using Portal.Tests.Support;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Access rules reloaded from the configuration files of a running portal (file watch), as <c>serve</c> does:
/// applied at once when valid, refused with their YAML path when not, and never mixed under load.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ConfigReloadTests
{
    private static string Rules(string appPolicy, string extra = "") => $"""
        log:
          level: info
          file_path: portal.log
        access_control:
          default_policy: deny
          rules:
            - domain: 'app.example.com'
              policy: {appPolicy}
        {extra}
        """;

    private static async Task<HttpStatusCode> AnonymousAsync(PortalTestHost host, string url = "https://app.example.com/")
    {
        using var response = await host.ForwardAuthAsync(url);
        return response.StatusCode;
    }

    /// <summary>Replaces the file in one step, as editors and config management do, so no reload sees half of it.</summary>
    private static async Task EditAsync(PortalTestHost host, string yaml)
    {
        var path = Path.Combine(host.DirectoryPath, "extra.yml");
        await File.WriteAllTextAsync(path + ".new", yaml);
        File.Move(path + ".new", path, overwrite: true);
    }

    private static async Task<string> LogAsync(PortalTestHost host)
    {
        // The portal still has the file open for writing.
        await using var stream = new FileStream(Path.Combine(host.DirectoryPath, "portal.log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task An_edited_rule_decides_the_next_request_without_a_restart_and_the_log_says_what_changed()
    {
        await using var host = await PortalTestHost.StartAsync(Rules("deny"), reloadable: true);
        Assert.Equal(HttpStatusCode.Forbidden, await AnonymousAsync(host));

        await EditAsync(host, Rules("bypass"));

        await Eventually.UntilAsync("the new rule to apply", async () => await AnonymousAsync(host) == HttpStatusCode.OK);
        await Eventually.UntilAsync("the change to be logged", async () =>
            (await LogAsync(host)).Contains("Access rules reloaded: 1 rule(s), 1 added, 1 removed", StringComparison.Ordinal));
        Assert.Contains("Access rule added: {", await LogAsync(host), StringComparison.Ordinal);
        Assert.Contains("app.example.com", await LogAsync(host), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_edit_keeps_the_running_rules_logs_the_yaml_path_and_shows_in_health()
    {
        await using var host = await PortalTestHost.StartAsync(Rules("bypass"), reloadable: true);
        var reloader = host.App.Services.GetRequiredService<ConfigReloader>();

        await EditAsync(host, Rules("sometimes"));

        await Eventually.UntilAsync("the failed reload", () => reloader.Status is { Succeeded: false });
        Assert.Equal(HttpStatusCode.OK, await AnonymousAsync(host));
        // A watcher may first see the file half written (another error): wait for the reload of the whole edit.
        await Eventually.UntilAsync("the error to be logged with its YAML path", async () =>
            (await LogAsync(host)).Contains("access_control: rules[0]: option 'policy'", StringComparison.Ordinal));
        using var health = await host.Client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("\"config_reload\":{", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"succeeded\":false", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Fixed: applied, and health is plain again.
        await EditAsync(host, Rules("deny"));
        await Eventually.UntilAsync("the fixed rules to apply", async () => await AnonymousAsync(host) == HttpStatusCode.Forbidden);
        await Eventually.UntilAsync("health to be plain again", async () =>
        {
            using var healthy = await host.Client.GetAsync("/api/health");
            return await healthy.Content.ReadAsStringAsync() == """{"status":"OK"}""";
        });
    }

    [Fact]
    public async Task A_change_outside_the_rules_is_logged_as_needing_a_restart()
    {
        await using var host = await PortalTestHost.StartAsync(Rules("bypass"), reloadable: true);

        await EditAsync(host, Rules("bypass", "regulation:\n  max_retries: 7\n"));

        await Eventually.UntilAsync("the reload to be logged", async () =>
            (await LogAsync(host)).Contains("'regulation' changed but only takes effect after a restart", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Under_concurrent_requests_no_answer_comes_from_a_mix_of_the_old_and_new_rules()
    {
        // A path that reads two ways. Set A refuses such paths (400) and lets everything else through; set B decides
        // them by its rules and denies (403). Only a mix - B's "strictest" with A's bypass - would answer 200.
        const string A = "access_control:\n  ambiguous_paths: refuse\n  default_policy: deny\n  rules:\n    - domain: 'app.example.com'\n      policy: bypass\n";
        const string B = "access_control:\n  ambiguous_paths: strictest\n  default_policy: deny\n  rules:\n    - domain: 'app.example.com'\n      policy: deny\n";
        const string Ambiguous = "https://app.example.com/x/..;/y";
        await using var host = await PortalTestHost.StartAsync(A, reloadable: true);
        var reloader = host.App.Services.GetRequiredService<ConfigReloader>();
        Assert.Equal(HttpStatusCode.BadRequest, await AnonymousAsync(host, Ambiguous));
        var answers = new ConcurrentBag<HttpStatusCode>();
        using var stop = new CancellationTokenSource();

        var clients = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                answers.Add(await AnonymousAsync(host, Ambiguous));
            }
        })).ToArray();
        // Swap for as long as it takes the clients to send a few thousand requests, so swaps and decisions overlap.
        for (var i = 0; i < 60 || answers.Count < 3000; i++)
        {
            await EditAsync(host, i % 2 == 0 ? B : A);
            Assert.True(reloader.Reload().Succeeded);
            await Task.Delay(2);
        }
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Contains(HttpStatusCode.BadRequest, answers);
        Assert.Contains(HttpStatusCode.Forbidden, answers);
        Assert.All(answers, a => Assert.Contains(a, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Forbidden }));
    }
}
