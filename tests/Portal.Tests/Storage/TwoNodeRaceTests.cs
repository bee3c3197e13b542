using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Regulation;
using Portal.Tests.Regulation;
using Portal.Tests.Session;
using Portal.Tests.Support;
using Portal.Tests.WebAuthn;

namespace Portal.Tests.Storage;

/// <summary>
/// Two portal nodes (same configuration, one real PostgreSQL, one real Redis) taking the same request at the same
/// moment, many times over: an emailed code, a security-key sign-in and a passkey sign-in each work once across both
/// nodes, and wrong passwords raced at both nodes are checked no more than <c>max_retries</c> times. Nothing answers 500.
/// </summary>
[Trait("Category", "Integration")]
[Collection("postgres")]
public sealed class TwoNodeRaceTests(PostgresServerFixture server) : IDisposable
{
    private readonly RedisServerFixture _redis = new();

    public void Dispose() => _redis.Dispose();

    private string Storage() => server.StorageYaml(PostgresServerFixture.UniqueSchema("race"));

    private string Yaml => _redis.SessionYaml("2s") + "\n" + RegulationHttpTests.Regulation;

    private static void AssertRefusedWithoutError(HttpStatusCode status, string body) =>
        Assert.True((int)status is >= 400 and < 500, $"{(int)status} {body}");

    [Fact]
    public async Task An_emailed_code_submitted_many_times_at_once_to_both_nodes_elevates_exactly_once_in_every_round()
    {
        var storage = Storage();
        await using var a = await SmtpPortal.StartAsync(Yaml, storage: storage);
        await using var b = await SmtpPortal.StartAsync(Yaml, storage: storage);
        var cookie = await a.Host.LoginAsync("john");

        for (var round = 0; round < 6; round++)
        {
            // A fresh address each round, as the code's IP; the per-IP limit on submissions then lets 3 a node through
            // to the code store and answers the rest 429.
            var ip = string.Create(CultureInfo.InvariantCulture, $"10.20.{round}.1");
            var asked = round % 2 == 0 ? a : b;
            var code = await asked.EmailedCodeAsync(cookie, ip);

            var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            {
                using var response = await SmtpPortal.SubmitCodeAsync((i % 2 == 0 ? a : b).Host, cookie, code, ip);
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(), Cookie: PortalTestHost.SessionCookie(response));
            })));

            var won = Assert.Single(answers, x => x.StatusCode == HttpStatusCode.OK);
            Assert.All(answers.Where(x => x.StatusCode != HttpStatusCode.OK), x => AssertRefusedWithoutError(x.StatusCode, x.Body));
            Assert.Contains(answers, x => x.StatusCode == HttpStatusCode.Forbidden); // some reached the code (or session) and lost
            cookie = won.Cookie ?? throw new InvalidOperationException("the elevation set no session cookie");
            Assert.True((await SmtpPortal.StateAsync(b.Host, cookie, ip)).GetProperty("elevated").GetBoolean());
            Assert.True((await SmtpPortal.StateAsync(a.Host, cookie, ip)).GetProperty("elevated").GetBoolean());
        }
    }

    [Fact]
    public async Task One_security_key_sign_in_completed_many_times_at_once_on_both_nodes_succeeds_exactly_once_in_every_round()
    {
        var storage = Storage();
        await using var nodeA = await PortalTestHost.StartAsync(Yaml, storage: storage);
        await using var nodeB = await PortalTestHost.StartAsync(Yaml, storage: storage);
        var setup = new WebAuthnClient(nodeA);
        var key = new SoftwareAuthenticator(setup.Origin);
        await setup.LoginAsync("john");
        await setup.ElevateAsync();
        await setup.RegisterAsync(key, "YubiKey");

        for (var round = 0; round < 4; round++)
        {
            var browser = new WebAuthnClient(round % 2 == 0 ? nodeA : nodeB);
            await browser.LoginAsync("john");
            var (asked, options, askedBody) = await browser.BeginAssertionAsync();
            Assert.True(asked == HttpStatusCode.OK, askedBody);
            var assertion = key.Get(options!.Value);

            var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
                Task.Run(() => browser.OnNode(i % 2 == 0 ? nodeA : nodeB).CompleteAssertionAsync(assertion))));

            Assert.Single(answers, x => x.Status == HttpStatusCode.OK);
            Assert.All(answers.Where(x => x.Status != HttpStatusCode.OK), x => AssertRefusedWithoutError(x.Status, x.Body));
        }
    }

    [Fact]
    public async Task One_passkey_sign_in_completed_many_times_at_once_on_both_nodes_succeeds_exactly_once_in_every_round()
    {
        var storage = Storage();
        var yaml = Yaml + "\n" + PasskeyLoginSupport.PasskeyOn;
        await using var nodeA = await PortalTestHost.StartAsync(yaml, storage: storage);
        await using var nodeB = await PortalTestHost.StartAsync(yaml, storage: storage);
        var key = new SoftwareAuthenticator("https://auth.example.com");
        await PasskeyLoginSupport.RegisterAsync(nodeA, "john", key);

        for (var round = 0; round < 4; round++)
        {
            var browser = new WebAuthnClient(round % 2 == 0 ? nodeB : nodeA);
            var (asked, options, askedBody) = await browser.BeginPasskeyLoginAsync();
            Assert.True(asked == HttpStatusCode.OK, askedBody);
            var assertion = key.Get(options!.Value);

            var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
                Task.Run(() => browser.OnNode(i % 2 == 0 ? nodeA : nodeB).CompletePasskeyLoginAsync(assertion))));

            Assert.Single(answers, x => x.Status == HttpStatusCode.OK);
            Assert.All(answers.Where(x => x.Status != HttpStatusCode.OK), x => AssertRefusedWithoutError(x.Status, x.Body));
        }
    }

    [Fact]
    public async Task Wrong_passwords_fired_at_both_nodes_at_once_are_checked_no_more_than_max_retries_times_and_the_right_one_is_refused_alike()
    {
        var storage = Storage();
        await using var nodeA = await PortalTestHost.StartAsync(Yaml, storage: storage);
        await using var nodeB = await PortalTestHost.StartAsync(Yaml, storage: storage);

        var log = nodeB.App.Services.GetRequiredService<IAuthenticationLogStore>();
        var round = 0;
        foreach (var user in new[] { "john", "harry", "bob" })
        {
            round++;
            // Each guess from an address of its own (trusted X-Forwarded-For), so only the user's line across nodes holds them.
            var guesses = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
            {
                using var response = await RegulationHttpTests.LoginAsync(i % 2 == 0 ? nodeA : nodeB, user, $"wrong-{i}",
                    string.Create(CultureInfo.InvariantCulture, $"198.51.{round}.{i + 1}"));
                return response.StatusCode;
            })));
            Assert.All(guesses, g => Assert.Equal(HttpStatusCode.Unauthorized, g));

            var attempts = await log.ReadRecentAttemptsAsync(RegulationSubject.User, user, DateTimeOffset.MinValue, AuthenticationTypes.All,
                failuresOnly: false, limit: 1000);
            // The log leaves out attempts refused for a ban: what is left is every password actually checked.
            Assert.Equal(3, attempts.Count);

            foreach (var node in new[] { nodeA, nodeB })
            {
                using var right = await RegulationHttpTests.LoginAsync(node, user, PortalTestHost.Password, $"198.51.{round}.200");
                using var wrong = await RegulationHttpTests.LoginAsync(node, user, "wrong-again", $"198.51.{round}.201");
                Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
                Assert.Equal((wrong.StatusCode, await wrong.Content.ReadAsStringAsync()), (right.StatusCode, await right.Content.ReadAsStringAsync()));
                Assert.Null(PortalTestHost.SessionCookie(right));
            }
        }
        Assert.Equal(0, nodeA.App.Services.GetRequiredService<Regulator>().HeldKeys);
    }
}
