using System.Buffers.Text;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Notification;
using Portal.Tests.Session;
using Portal.Tests.Support;

namespace Portal.Tests.PasswordReset;

/// <summary>The password reset by email over HTTP, with the real SMTP server and the real users file.</summary>
[Trait("Category", "Integration")]
public sealed class PasswordResetEndpointTests
{
    private const string NewPassword = "correct horse battery staple";

    [Fact]
    public async Task An_emailed_link_sets_a_new_argon2id_password_that_signs_in_and_the_old_one_no_longer_does()
    {
        await using var portal = await SmtpPortal.StartAsync(ResetFlow.Yaml());
        var token = await ResetFlow.EmailedTokenAsync(portal, "john", "john@example.com");

        using var reset = await ResetFlow.ResetAsync(portal.Host, token, NewPassword);

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        using (var old = await portal.Host.FirstFactorAsync("john", PortalTestHost.Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }
        await portal.Host.LoginAsync("john", NewPassword);
        var users = await File.ReadAllTextAsync(Path.Combine(portal.Host.DirectoryPath, "users.yml"));
        Assert.Matches(@"john:\n    displayname: 'John Doe'\n    password: '\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[^']+'\n    email: \['john@example.com', 'jd@example.org'\]\n    groups: \['admins', 'dev'\]", users);
        // Everyone else is untouched: harry still signs in with the old password.
        await portal.Host.LoginAsync("harry");
    }

    [Fact]
    public async Task The_user_is_told_by_email_that_the_password_changed()
    {
        await using var portal = await SmtpPortal.StartAsync(ResetFlow.Yaml());
        var token = await ResetFlow.EmailedTokenAsync(portal, "john", "john@example.com");

        using var reset = await ResetFlow.ResetAsync(portal.Host, token, NewPassword);

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var notice = await portal.Smtp.WaitForMailAsync("john@example.com");
        Assert.Contains("Password Reset", notice.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("Every session of your account was signed out", notice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_works_once()
    {
        await using var portal = await SmtpPortal.StartAsync(ResetFlow.Yaml());
        var token = await ResetFlow.EmailedTokenAsync(portal, "john", "john@example.com");
        using (var first = await ResetFlow.ResetAsync(portal.Host, token, NewPassword))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var again = await ResetFlow.ResetAsync(portal.Host, token, "another fine passphrase here");
        using var check = await ResetFlow.CheckAsync(portal.Host, token);

        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, check.StatusCode);
        await portal.Host.LoginAsync("john", NewPassword);
    }

    [Fact]
    public async Task A_link_is_refused_once_its_lifespan_has_passed()
    {
        await using var portal = await SmtpPortal.StartAsync(ResetFlow.Yaml(lifespan: "10 minutes"), manualClock: true);
        var token = await ResetFlow.EmailedTokenAsync(portal, "john", "john@example.com");
        using (var fresh = await ResetFlow.CheckAsync(portal.Host, token))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        portal.Host.Time!.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        using var reset = await ResetFlow.ResetAsync(portal.Host, token, NewPassword);

        Assert.Equal(HttpStatusCode.Forbidden, reset.StatusCode);
        Assert.Contains("expired", await ResetFlow.MessageAsync(reset), StringComparison.Ordinal);
        await portal.Host.LoginAsync("john");
    }

    [Fact]
    public async Task A_link_with_another_user_a_changed_signature_or_no_algorithm_is_refused()
    {
        await using var portal = await SmtpPortal.StartAsync(ResetFlow.Yaml());
        var token = await ResetFlow.EmailedTokenAsync(portal, "john", "john@example.com");
        var parts = token.Split('.');
        var claims = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        var harry = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.Replace("\"sub\":\"john\"", "\"sub\":\"harry\"", StringComparison.Ordinal)));
        var none = Base64Url.EncodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8);
        string[] forged =
        [
            $"{parts[0]}.{harry}.{parts[2]}",
            $"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}",
            $"{none}.{parts[1]}.",
        ];

        foreach (var link in forged)
        {
            using var reset = await ResetFlow.ResetAsync(portal.Host, link, NewPassword);
            Assert.Equal(HttpStatusCode.Forbidden, reset.StatusCode);
        }
        await portal.Host.LoginAsync("john");
        await portal.Host.LoginAsync("harry");
    }

    [Fact]
    public async Task An_unknown_user_gets_the_same_answer_as_a_known_one_and_no_mail_is_sent()
    {
        await using var portal = await SmtpPortal.StartAsync(ResetFlow.Yaml());

        using var unknown = await ResetFlow.AskAsync(portal.Host, "nobody");
        using var disabled = await ResetFlow.AskAsync(portal.Host, "james", clientIp: "192.0.2.10");
        using var known = await ResetFlow.AskAsync(portal.Host, "bob", clientIp: "192.0.2.11");

        Assert.Equal(known.StatusCode, unknown.StatusCode);
        Assert.Equal(known.StatusCode, disabled.StatusCode);
        var body = await known.Content.ReadAsStringAsync();
        Assert.Equal(body, await unknown.Content.ReadAsStringAsync());
        Assert.Equal(body, await disabled.Content.ReadAsStringAsync());
        Assert.Equal(known.Headers.Select(h => h.Key).Order(), unknown.Headers.Select(h => h.Key).Order());
        await portal.Smtp.WaitForMailAsync("bob@example.com");
        Assert.Single(portal.Smtp.AllMail());
    }

    [Fact]
    public async Task A_known_and_an_unknown_user_both_wait_out_the_same_floor()
    {
        await using var portal = await SmtpPortal.StartAsync(ResetFlow.Yaml());
        var known = System.Diagnostics.Stopwatch.StartNew();
        using (await ResetFlow.AskAsync(portal.Host, "bob"))
        {
            known.Stop();
        }
        var unknown = System.Diagnostics.Stopwatch.StartNew();
        using (await ResetFlow.AskAsync(portal.Host, "nobody", clientIp: "192.0.2.20"))
        {
            unknown.Stop();
        }

        Assert.True(known.Elapsed >= TimeSpan.FromMilliseconds(480), $"known: {known.Elapsed}");
        Assert.True(unknown.Elapsed >= TimeSpan.FromMilliseconds(480), $"unknown: {unknown.Elapsed}");
        await portal.Smtp.WaitForMailAsync("bob@example.com");
    }

    [Fact]
    public async Task The_answer_to_a_known_user_does_not_wait_for_the_mail_to_be_delivered()
    {
        var notifier = new HeldNotifier();
        await using var host = await PortalTestHost.StartAsync(ResetFlow.Yaml(),
            configure: builder => builder.Services.Replace(ServiceDescriptor.Singleton<INotifier>(notifier)));

        using var answer = await ResetFlow.AskAsync(host, "bob");

        // Answered while the delivery is still held: the mail goes out after the answer, so its time never shows.
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("bob@example.com", await notifier.Started.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        notifier.Release.SetResult();
    }

    /// <summary>A notifier whose deliveries wait until the test releases them.</summary>
    private sealed class HeldNotifier : INotifier
    {
        public TaskCompletionSource<string> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task SendAsync(MailRecipient recipient, string subject, string textBody, string? htmlBody, CancellationToken cancellationToken)
        {
            Started.TrySetResult(recipient.Address);
            await Release.Task;
        }

        public Task StartupCheckAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task A_password_the_policy_refuses_gets_a_400_naming_the_rule_and_the_link_stays_usable()
    {
        await using var portal = await SmtpPortal.StartAsync(ResetFlow.Yaml("""
            password_policy:
              standard:
                enabled: true
                min_length: 12
                require_number: true
            """));
        var token = await ResetFlow.EmailedTokenAsync(portal, "john", "john@example.com");

        using var tooShort = await ResetFlow.ResetAsync(portal.Host, token, "short1");
        using var noNumber = await ResetFlow.ResetAsync(portal.Host, token, "long enough but no digit");
        using var good = await ResetFlow.ResetAsync(portal.Host, token, "long enough with 1 digit");

        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Equal("The password must be at least 12 characters long.", await ResetFlow.MessageAsync(tooShort));
        Assert.Equal(HttpStatusCode.BadRequest, noNumber.StatusCode);
        Assert.Equal("The password must contain a number.", await ResetFlow.MessageAsync(noNumber));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Fact]
    public async Task The_zxcvbn_policy_refuses_a_guessable_password()
    {
        await using var portal = await SmtpPortal.StartAsync(ResetFlow.Yaml("""
            password_policy:
              zxcvbn:
                enabled: true
                min_score: 3
            """));
        var token = await ResetFlow.EmailedTokenAsync(portal, "john", "john@example.com");

        using var weak = await ResetFlow.ResetAsync(portal.Host, token, "password123");
        using var strong = await ResetFlow.ResetAsync(portal.Host, token, NewPassword);

        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("too weak", await ResetFlow.MessageAsync(weak), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, strong.StatusCode);
    }

    [Fact]
    public async Task Every_session_of_the_user_ends_with_the_memory_store()
    {
        await using var portal = await SmtpPortal.StartAsync(ResetFlow.Yaml());
        await AssertSessionsEndAsync(portal);
    }

    [Fact]
    public async Task Every_session_of_the_user_ends_with_the_redis_store()
    {
        using var redis = new RedisServerFixture();
        await using var portal = await SmtpPortal.StartAsync(ResetFlow.Yaml(redis.SessionYaml()));
        await AssertSessionsEndAsync(portal);
    }

    private static async Task AssertSessionsEndAsync(SmtpPortal portal)
    {
        var first = await portal.Host.LoginAsync("john");
        var second = await portal.Host.LoginAsync("john");
        var harry = await portal.Host.LoginAsync("harry");
        var token = await ResetFlow.EmailedTokenAsync(portal, "john", "john@example.com");

        using (var reset = await ResetFlow.ResetAsync(portal.Host, token, NewPassword))
        {
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        }

        foreach (var cookie in (string[])[first, second])
        {
            using var after = await portal.Host.ForwardAuthAsync("https://app.example.com/", cookie: cookie);
            Assert.NotEqual(HttpStatusCode.OK, after.StatusCode);
        }
        using var other = await portal.Host.ForwardAuthAsync("https://app.example.com/", cookie: harry);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Of_several_concurrent_uses_of_one_link_exactly_one_succeeds()
    {
        await using var portal = await SmtpPortal.StartAsync(ResetFlow.Yaml());
        var token = await ResetFlow.EmailedTokenAsync(portal, "john", "john@example.com");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 5).Select(async i =>
        {
            using var response = await ResetFlow.ResetAsync(portal.Host, token, $"concurrent passphrase number {i}");
            return (i, response.StatusCode);
        }));

        var winner = Assert.Single(attempts, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(attempts.Where(a => a.i != winner.i), a => Assert.Equal(HttpStatusCode.Forbidden, a.StatusCode));
        await portal.Host.LoginAsync("john", $"concurrent passphrase number {winner.i}");
    }

    [Fact]
    public async Task A_link_dies_when_the_password_changes_another_way()
    {
        await using var portal = await SmtpPortal.StartAsync(ResetFlow.Yaml());
        var older = await ResetFlow.EmailedTokenAsync(portal, "john", "john@example.com");
        var newer = await ResetFlow.EmailedTokenAsync(portal, "john", "john@example.com");
        using (var used = await ResetFlow.ResetAsync(portal.Host, newer, NewPassword))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        using var stale = await ResetFlow.ResetAsync(portal.Host, older, "a stale link must not work");

        Assert.Equal(HttpStatusCode.Forbidden, stale.StatusCode);
        await portal.Host.LoginAsync("john", NewPassword);
    }

    [Fact]
    public async Task Link_requests_are_rate_limited_per_ip_with_the_same_answer_for_any_username()
    {
        await using var portal = await SmtpPortal.StartAsync(ResetFlow.Yaml());
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await ResetFlow.AskAsync(portal.Host, i % 2 == 0 ? "nobody" : "bob", clientIp: "198.51.100.7");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var known = await ResetFlow.AskAsync(portal.Host, "bob", clientIp: "198.51.100.7");
        using var unknown = await ResetFlow.AskAsync(portal.Host, "nobody", clientIp: "198.51.100.7");

        Assert.Equal(HttpStatusCode.TooManyRequests, known.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, unknown.StatusCode);
        Assert.NotNull(known.Headers.RetryAfter);
    }

    [Fact]
    public async Task The_reset_endpoints_do_not_exist_while_the_reset_is_disabled()
    {
        await using var portal = await SmtpPortal.StartAsync();

        using var ask = await ResetFlow.AskAsync(portal.Host, "john");
        using var config = await portal.Host.Client.SendAsync(SmtpPortal.Request(HttpMethod.Get, "/api/reset-password/configuration", null));

        Assert.Equal(HttpStatusCode.NotFound, ask.StatusCode);
        Assert.Contains("\"enabled\":false", await config.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
