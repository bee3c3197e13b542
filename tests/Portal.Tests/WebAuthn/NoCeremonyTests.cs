using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Regulation;
using Portal.Tests.Support;
using Portal.WebAuthn;

namespace Portal.Tests.WebAuthn;

/// <summary>
/// Issue 11 item 4: a WebAuthn answer posted with no usable ceremony (none started, already used, timed out) is a
/// 400 that tells the page to start again, and is no failed login: no signature was checked, so regulation must not
/// count it (default regulation: 3 failures ban).
/// </summary>
public sealed class NoCeremonyTests
{
    /// <summary>Shaped like a PublicKeyCredential, so only the missing ceremony can be what is wrong.</summary>
    private static readonly object Answer = new
    {
        response = new { id = "AAAA", rawId = "AAAA", type = "public-key", response = new { clientDataJSON = "AAAA", authenticatorData = "AAAA", signature = "AAAA" } },
    };

    [Fact]
    public async Task Second_factor_answers_without_a_pending_ceremony_get_400_and_neither_ban_the_user_nor_count_as_failures()
    {
        var (host, browser, key) = await WebAuthnTamperTests.ArrangeAsync(manualClock: true);
        await using var _ = host;

        var answers = new List<(HttpStatusCode Status, string? Message)>();
        for (var i = 0; i < 4; i++)
        {
            using var assertion = await browser.SendAsync(HttpMethod.Post, "/api/secondfactor/webauthn", Answer);
            answers.Add((assertion.StatusCode, await MessageAsync(assertion)));
            using var registration = await browser.SendAsync(HttpMethod.Post, "/api/secondfactor/webauthn/credential/register", Answer);
            Assert.Equal(HttpStatusCode.BadRequest, registration.StatusCode);
        }
        // A ceremony that timed out is no pending ceremony either.
        var (_, options, _) = await browser.BeginAssertionAsync();
        host.Time!.Advance(host.Options.WebAuthn.Timeout + TimeSpan.FromSeconds(1));
        using (var late = await browser.SendAsync(HttpMethod.Post, "/api/secondfactor/webauthn", new { response = JsonDocument.Parse(key.Get(options!.Value)).RootElement }))
        {
            answers.Add((late.StatusCode, await MessageAsync(late)));
        }

        Assert.All(answers, a => Assert.True((int)a.Status is >= 400 and < 500, $"{(int)a.Status} {a.Message}"));
        Assert.Empty(await FailuresAsync(host, RegulationSubject.User, "john"));
        Assert.Equal(1, await browser.LevelAsync());
        var (status, body) = await browser.SecondFactorAsync(key);
        Assert.True(status == HttpStatusCode.OK, body);
        await host.LoginAsync("john");
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.BadRequest, WebAuthnEndpoints.NoAssertionInProgress), a));
    }

    [Fact]
    public async Task Passkey_login_answers_without_a_pending_ceremony_get_400_and_neither_ban_the_ip_nor_count_as_failures()
    {
        await using var host = await PortalTestHost.StartAsync(PasskeyLoginSupport.PasskeyOn + "regulation:\n  modes: ['ip', 'user']\n");
        var key = new SoftwareAuthenticator("https://auth.example.com");
        await PasskeyLoginSupport.RegisterAsync(host, "john", key);

        var answers = new List<(HttpStatusCode Status, string? Message)>();
        for (var i = 0; i < 4; i++)
        {
            using var refused = await new WebAuthnClient(host).SendAsync(HttpMethod.Post, "/api/firstfactor/passkey", Answer);
            answers.Add((refused.StatusCode, await MessageAsync(refused)));
        }
        // An answer posted again: its ceremony is used up.
        var browser = new WebAuthnClient(host);
        var (_, options, _) = await browser.BeginPasskeyLoginAsync();
        var answer = key.Get(options!.Value);
        Assert.Equal(HttpStatusCode.OK, (await browser.CompletePasskeyLoginAsync(answer)).Status);
        for (var i = 0; i < 3; i++)
        {
            using var credential = JsonDocument.Parse(answer);
            using var again = await browser.SendAsync(HttpMethod.Post, "/api/firstfactor/passkey", new { response = credential.RootElement });
            answers.Add((again.StatusCode, await MessageAsync(again)));
        }

        Assert.All(answers, a => Assert.True((int)a.Status is >= 400 and < 500, $"{(int)a.Status} {a.Message}"));
        Assert.Empty(await FailuresAsync(host, RegulationSubject.Ip, RegulationKeys.Ip(IPAddress.Loopback)));
        Assert.Equal(HttpStatusCode.OK, (await new WebAuthnClient(host).PasskeyLoginAsync(key)).Status);
        await host.LoginAsync("john");
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.BadRequest, WebAuthnEndpoints.NoPasskeyLoginInProgress), a));
    }

    private static async Task<IReadOnlyList<AuthenticationLogEntry>> FailuresAsync(PortalTestHost host, RegulationSubject subject, string value)
    {
        var store = host.App.Services.GetRequiredService<IAuthenticationLogStore>();
        var now = host.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        return await store.ReadRecentAttemptsAsync(subject, value, now.AddHours(-1), AuthenticationTypes.Regulated, failuresOnly: true, limit: 100);
    }

    private static async Task<string?> MessageAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("message").GetString();
    }
}
