using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portal.Tests.Support;
using static Portal.Tests.Support.SmtpPortal;

namespace Portal.Tests.Elevation;

/// <summary>
/// The elevated session over HTTP against a real portal whose notifier is a real SMTP server: every code used here was
/// read from a mail the server received.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ElevationEndpointTests
{
    // Sessions outlive the manual-clock jumps below (default inactivity is 5 minutes).
    private const string LongSessions = """
        session:
          inactivity: 2h
          expiration: 4h
        """;

    [Fact]
    public async Task Login_then_emailed_code_elevates_the_session_and_regenerates_its_id()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var host = portal.Host;
        var cookie = await host.LoginAsync("john");
        Assert.False((await StateAsync(host, cookie)).GetProperty("elevated").GetBoolean());

        using var start = await RequestCodeAsync(host, cookie);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var deleteId = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("delete_id").GetString()!;
        var mail = await portal.Smtp.WaitForMailAsync("john@example.com");
        var code = CodeFrom(mail);

        using var finish = await SubmitCodeAsync(host, cookie, code);
        Assert.Equal(HttpStatusCode.OK, finish.StatusCode);
        var elevated = PortalTestHost.SessionCookie(finish);

        Assert.NotNull(elevated);
        Assert.NotEqual(cookie, elevated);
        var state = await StateAsync(host, elevated);
        Assert.True(state.GetProperty("elevated").GetBoolean());
        Assert.InRange(state.GetProperty("expires").GetInt32(), 1, 600);
        Assert.True(state.GetProperty("factor_knowledge").GetBoolean());
        // The pre-elevation id is dead.
        using var old = await host.Client.SendAsync(Request(HttpMethod.Get, "/api/user/session/elevation", cookie));
        Assert.Equal(HttpStatusCode.Forbidden, old.StatusCode);

        // The mail: first address, code from the unambiguous set, requesting IP, revoke link on the configured portal URL.
        Assert.Equal(["john@example.com"], mail.Recipients);
        Assert.Equal("[Portal] Confirm your identity", mail.Message.Subject);
        Assert.Matches("^[ABCDEFGHJKLMNPQRTUVWYXZ2346789]{8}$", code);
        Assert.Contains("127.0.0.1", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"https://auth.example.com/revoke/one-time-code?id={deleteId}", mail.Text, StringComparison.Ordinal);
        Assert.Contains(code, mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_code_is_stored_only_as_a_signature_and_ciphertext()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var cookie = await portal.Host.LoginAsync("john");
        var code = await portal.EmailedCodeAsync(cookie);

        await using var db = new SqliteConnection($"Data Source={Path.Combine(portal.Host.DirectoryPath, "db.sqlite3")};Mode=ReadOnly");
        await db.OpenAsync();
        await using var select = db.CreateCommand();
        select.CommandText = "SELECT signature, code, username, issued_ip, intent FROM one_time_code;";
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Matches("^[0-9a-f]{128}$", reader.GetString(0));
        var stored = (byte[])reader.GetValue(1);
        Assert.DoesNotContain(code, System.Text.Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.Equal(("john", "127.0.0.1", "use"), (reader.GetString(2), reader.GetString(3), reader.GetString(4)));
    }

    [Fact]
    public async Task A_code_works_once_even_when_submitted_twice_at_the_same_time()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var host = portal.Host;
        var cookie = await host.LoginAsync("john");
        var code = await portal.EmailedCodeAsync(cookie);

        var both = await Task.WhenAll(SubmitCodeAsync(host, cookie, code), SubmitCodeAsync(host, cookie, code));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Forbidden], both.Select(r => r.StatusCode).Order());
        var winner = PortalTestHost.SessionCookie(both.Single(r => r.StatusCode == HttpStatusCode.OK))!;
        // Replayed later on the elevated session: refused, and the session stays as it was.
        using var replay = await SubmitCodeAsync(host, winner, code);
        Assert.Equal(HttpStatusCode.Forbidden, replay.StatusCode);
        Assert.Null(PortalTestHost.SessionCookie(replay));
    }

    [Fact]
    public async Task Lower_case_and_padded_input_is_accepted_but_an_empty_or_overlong_code_is_a_bad_request()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var host = portal.Host;
        var cookie = await host.LoginAsync("john");

        // The malformed submissions come from another client so they do not use up this one's attempts.
        const string Other = "192.0.2.99";
        using (var empty = await SubmitCodeAsync(host, cookie, "   ", Other))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        }
        using (var overlong = await host.Client.SendAsync(Request(HttpMethod.Put, "/api/user/session/elevation", cookie, Other, body: new { otc = new string('A', 21) })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, overlong.StatusCode);
        }
        var malformed = Request(HttpMethod.Put, "/api/user/session/elevation", cookie, Other);
        malformed.Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        using (var garbage = await host.Client.SendAsync(malformed))
        {
            Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        }

        var code = await portal.EmailedCodeAsync(cookie);
        using var ok = await SubmitCodeAsync(host, cookie, $"  {code.ToLowerInvariant()} ");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        await using var portal = await SmtpPortal.StartAsync(LongSessions, manualClock: true);
        var host = portal.Host;
        var cookie = await host.LoginAsync("john");
        var code = await portal.EmailedCodeAsync(cookie);

        host.Time!.Advance(TimeSpan.FromMinutes(5));
        using var late = await SubmitCodeAsync(host, cookie, code);

        Assert.Equal(HttpStatusCode.Forbidden, late.StatusCode);
        Assert.False((await StateAsync(host, cookie)).GetProperty("elevated").GetBoolean());
    }

    [Fact]
    public async Task A_code_submitted_from_another_ip_is_refused_and_stays_usable_from_the_requesting_ip()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var host = portal.Host;
        var cookie = await host.LoginAsync("john");
        (await RequestCodeAsync(host, cookie, clientIp: "198.51.100.10")).Dispose();
        var mail = await portal.Smtp.WaitForMailAsync();
        Assert.Contains("198.51.100.10", mail.Text, StringComparison.Ordinal);
        var code = CodeFrom(mail);

        using (var elsewhere = await SubmitCodeAsync(host, cookie, code, clientIp: "198.51.100.11"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
        }
        using var same = await SubmitCodeAsync(host, cookie, code, clientIp: "198.51.100.10");
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
    }

    [Fact]
    public async Task A_code_belongs_to_the_user_who_requested_it()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var host = portal.Host;
        var john = await host.LoginAsync("john");
        var harry = await host.LoginAsync("harry");
        (await RequestCodeAsync(host, john)).Dispose();
        var code = CodeFrom(await portal.Smtp.WaitForMailAsync("john@example.com"));

        using var stolen = await SubmitCodeAsync(host, harry, code);

        Assert.Equal(HttpStatusCode.Forbidden, stolen.StatusCode);
    }

    [Fact]
    public async Task Guessing_codes_is_rate_limited_per_ip_with_retry_after()
    {
        await using var portal = await SmtpPortal.StartAsync(LongSessions, manualClock: true);
        var host = portal.Host;
        var cookie = await host.LoginAsync("john");
        var code = await portal.EmailedCodeAsync(cookie, clientIp: "203.0.113.5");

        foreach (var guess in new[] { "AAAAAAAA", "BBBBBBBB", "CCCCCCCC" })
        {
            using var wrong = await SubmitCodeAsync(host, cookie, guess, clientIp: "203.0.113.5");
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        }
        using (var limited = await SubmitCodeAsync(host, cookie, code, clientIp: "203.0.113.5"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal("600", PortalTestHost.Header(limited, "Retry-After"));
        }
        // Another client is not affected by this one's guesses.
        using (var other = await SubmitCodeAsync(host, cookie, "DDDDDDDD", clientIp: "203.0.113.6"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        }

        host.Time!.Advance(TimeSpan.FromSeconds(600));
        // The window has passed, but so has the code's lifespan: the limit lifted, the code did not come back.
        using var after = await SubmitCodeAsync(host, cookie, code, clientIp: "203.0.113.5");
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
    }

    [Fact]
    public async Task Requesting_codes_is_rate_limited_per_ip_with_retry_after()
    {
        await using var portal = await SmtpPortal.StartAsync(LongSessions, manualClock: true);
        var host = portal.Host;
        var cookie = await host.LoginAsync("john");

        for (var i = 0; i < 3; i++)
        {
            using var ok = await RequestCodeAsync(host, cookie, clientIp: "203.0.113.20");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            host.Time!.Advance(TimeSpan.FromMinutes(1));
        }
        using (var limited = await RequestCodeAsync(host, cookie, clientIp: "203.0.113.20"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            // The first request (3 minutes ago) leaves the 5-minute window in 2 minutes.
            Assert.Equal("120", PortalTestHost.Header(limited, "Retry-After"));
        }
        Assert.Equal(3, portal.Smtp.AllMail().Count);

        host.Time!.Advance(TimeSpan.FromMinutes(2));
        using var again = await RequestCodeAsync(host, cookie, clientIp: "203.0.113.20");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task A_revoked_code_is_refused_and_the_revoke_link_works_once()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var host = portal.Host;
        var cookie = await host.LoginAsync("john");
        using var start = await RequestCodeAsync(host, cookie);
        var deleteId = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("delete_id").GetString()!;
        var code = CodeFrom(await portal.Smtp.WaitForMailAsync());

        // The link's page is served without a session (the mail's reader may be on another device).
        using (var page = await host.Client.SendAsync(Request(HttpMethod.Get, $"/revoke/one-time-code?id={deleteId}", null)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("revoke.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var revoke = await host.Client.SendAsync(Request(HttpMethod.Delete, $"/api/user/session/elevation/{deleteId}", null)))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }
        using (var again = await host.Client.SendAsync(Request(HttpMethod.Delete, $"/api/user/session/elevation/{deleteId}", null)))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }
        using var use = await SubmitCodeAsync(host, cookie, code);
        Assert.Equal(HttpStatusCode.Forbidden, use.StatusCode);
    }

    [Theory]
    [InlineData("not-an-id", HttpStatusCode.BadRequest)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAB", HttpStatusCode.BadRequest)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA", HttpStatusCode.NotFound)]
    public async Task Revoking_a_malformed_or_unknown_id_is_refused(string id, HttpStatusCode expected)
    {
        await using var host = await PortalTestHost.StartAsync();

        using var response = await host.Client.SendAsync(Request(HttpMethod.Delete, $"/api/user/session/elevation/{id}", null));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task The_elevation_ends_after_its_lifespan()
    {
        await using var portal = await SmtpPortal.StartAsync(LongSessions, manualClock: true);
        var host = portal.Host;
        // The exported helper other tests use: real SMTP flow, new cookie back.
        var cookie = await host.ElevateAsync(await host.LoginAsync("john"));
        host.Time!.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.True((await StateAsync(host, cookie)).GetProperty("elevated").GetBoolean());

        host.Time.Advance(TimeSpan.FromSeconds(1));

        var state = await StateAsync(host, cookie);
        Assert.False(state.GetProperty("elevated").GetBoolean());
        Assert.Equal(0, state.GetProperty("expires").GetInt32());
    }

    [Fact]
    public async Task The_elevation_is_bound_to_the_ip_that_verified_the_code_and_dropped_when_seen_from_another()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var host = portal.Host;
        var cookie = await portal.ElevateAsync(await host.LoginAsync("john"), clientIp: "192.0.2.50");
        Assert.True((await StateAsync(host, cookie, "192.0.2.50")).GetProperty("elevated").GetBoolean());

        Assert.False((await StateAsync(host, cookie, "192.0.2.51")).GetProperty("elevated").GetBoolean());

        // Dropped for good, not merely hidden from the other IP.
        Assert.False((await StateAsync(host, cookie, "192.0.2.50")).GetProperty("elevated").GetBoolean());
    }

    [Fact]
    public async Task Forwarded_for_from_an_untrusted_peer_does_not_move_the_code_to_another_ip()
    {
        // Loopback is not trusted here, so X-Forwarded-For is ignored: both requests come from 127.0.0.1.
        await using var portal = await SmtpPortal.StartAsync("server:\n  trusted_proxies: ['10.0.0.0/8']\n");
        var host = portal.Host;
        var cookie = await host.LoginAsync("john");
        (await RequestCodeAsync(host, cookie, clientIp: "198.51.100.77")).Dispose();
        var mail = await portal.Smtp.WaitForMailAsync();
        Assert.DoesNotContain("198.51.100.77", mail.Text, StringComparison.Ordinal);

        using var finish = await SubmitCodeAsync(host, cookie, CodeFrom(mail), clientIp: "198.51.100.78");
        Assert.Equal(HttpStatusCode.OK, finish.StatusCode);
    }

    [Fact]
    public async Task The_revoke_link_uses_the_configured_portal_url_not_the_request_host()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var host = portal.Host;
        var cookie = await host.LoginAsync("john", portalHost: "evil.example.com");

        (await RequestCodeAsync(host, cookie, portalHost: "evil.example.com")).Dispose();

        var text = (await portal.Smtp.WaitForMailAsync()).Text;
        Assert.Contains("https://auth.example.com/revoke/one-time-code?id=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_elevation_endpoint_needs_a_signed_in_session()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var host = portal.Host;

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Put })
        {
            using var anonymous = await host.Client.SendAsync(Request(method, "/api/user/session/elevation", null, body: method == HttpMethod.Put ? new { otc = "ABCDEFGH" } : null));
            Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
            using var forged = await host.Client.SendAsync(Request(method, "/api/user/session/elevation", "forged-session-id", body: method == HttpMethod.Put ? new { otc = "ABCDEFGH" } : null));
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        }
        Assert.Empty(portal.Smtp.AllMail());
    }

    [Fact]
    public async Task Require_and_skip_second_factor_are_reported_for_users_with_a_second_factor()
    {
        await using var portal = await SmtpPortal.StartAsync("identity_validation:\n  elevated_session:\n    require_second_factor: true\n");
        AddSecurityKey(portal.Host, "john");

        var john = await StateAsync(portal.Host, await portal.Host.LoginAsync("john"));
        var bob = await StateAsync(portal.Host, await portal.Host.LoginAsync("bob"));

        Assert.True(john.GetProperty("require_second_factor").GetBoolean());
        Assert.False(bob.GetProperty("require_second_factor").GetBoolean());

        await using var skipping = await SmtpPortal.StartAsync("identity_validation:\n  elevated_session:\n    skip_second_factor: true\n");
        AddSecurityKey(skipping.Host, "john");
        var johnSkip = await StateAsync(skipping.Host, await skipping.Host.LoginAsync("john"));
        var bobSkip = await StateAsync(skipping.Host, await skipping.Host.LoginAsync("bob"));

        Assert.True(johnSkip.GetProperty("can_skip_second_factor").GetBoolean());
        Assert.False(johnSkip.GetProperty("skip_second_factor").GetBoolean());
        Assert.False(johnSkip.GetProperty("require_second_factor").GetBoolean());
        Assert.False(bobSkip.GetProperty("can_skip_second_factor").GetBoolean());
    }

    private static void AddSecurityKey(PortalTestHost host, string username)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(host.DirectoryPath, "db.sqlite3")}");
        db.Open();
        using var insert = db.CreateCommand();
        insert.CommandText = """
            INSERT INTO webauthn_credentials (created_at, rpid, username, description, kid, public_key)
            VALUES (0, 'auth.example.com', $username, 'key', randomblob(16), x'00');
            """;
        insert.Parameters.AddWithValue("$username", username);
        insert.ExecuteNonQuery();
        SqliteConnection.ClearPool(db);
    }
}
