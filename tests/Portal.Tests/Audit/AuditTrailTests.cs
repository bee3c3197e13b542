using System.Net;
using System.Text.Json;
using Portal.Tests.Support;
using Portal.Tests.WebAuthn;
using Serilog;
using Serilog.Events;

namespace Portal.Tests.Audit;

/// <summary>
/// The audit trail over real HTTP flows: one structured event per security event, with the stable fields a log
/// pipeline alerts on (<c>AuditEvent</c>, <c>User</c>, <c>RemoteIp</c>, <c>Method</c>, <c>Result</c>), written even
/// at <c>log.level: warn</c>, and never a password, a code or a session id.
/// </summary>
public sealed class AuditTrailTests : IDisposable
{
    private readonly CapturedLog _log = new();
    private readonly TempDirectory _logs = new();

    public void Dispose() => _logs.Dispose();

    private const string WrongPassword = "Wr0ng-Secret-Attempt";

    private async Task<(PortalTestHost Portal, CapturedLog Log)> StartAsync(string? extraYaml = null)
    {
        var portal = await PortalTestHost.StartAsync(extraYaml, configure: builder => _log.Configure(builder, _logs.File("portal.log")));
        return (portal, _log);
    }

    private static void AssertFields(LogEvent e, string user, string method, string result)
    {
        Assert.Equal(user, CapturedLog.Text(e, "User"));
        Assert.Equal("127.0.0.1", CapturedLog.Text(e, "RemoteIp"));
        Assert.Equal(method, CapturedLog.Text(e, "Method"));
        Assert.Equal(result, CapturedLog.Text(e, "Result"));
    }

    [Fact]
    public async Task A_sign_in_success_and_failure_are_one_event_each_with_stable_fields_and_no_password()
    {
        var (portal, log) = await StartAsync();
        await using var _ = portal;

        var cookie = await portal.LoginAsync("john");
        using (var wrong = await portal.FirstFactorAsync("john", WrongPassword))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var signIns = log.Audit("SignIn");
        Assert.Equal(2, signIns.Count);
        AssertFields(signIns[0], "john", "1FA", "success");
        AssertFields(signIns[1], "john", "1FA", "failure");
        Assert.All(signIns, e => Assert.Equal(LogEventLevel.Information, e.Level));
        var everything = log.Everything();
        Assert.DoesNotContain(PortalTestHost.Password, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(cookie, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_log_file_carries_the_audit_fields_as_json_properties_even_at_level_error()
    {
        var logFile = _logs.File("portal.json.log");
        await using (var portal = await PortalTestHost.StartAsync("log:\n  level: error\n",
            configure: builder => builder.Services.AddSerilog((_, config) => global::Portal.Infrastructure.Logging.Configure(config,
                new global::Portal.Infrastructure.LogOptions { Level = "error", Format = "json", FilePath = logFile }), preserveStaticLogger: true)))
        {
            (await portal.FirstFactorAsync("bob", WrongPassword)).Dispose();
        }

        var events = (await File.ReadAllLinesAsync(logFile)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var signIn = Assert.Single(events, e => e.TryGetProperty("AuditEvent", out var name) && name.GetString() == "SignIn");
        Assert.Equal("bob", signIn.GetProperty("User").GetString());
        Assert.Equal("127.0.0.1", signIn.GetProperty("RemoteIp").GetString());
        Assert.Equal("1FA", signIn.GetProperty("Method").GetString());
        Assert.Equal("failure", signIn.GetProperty("Result").GetString());
        Assert.Equal(5000, signIn.GetProperty("EventId").GetProperty("Id").GetInt32());
        Assert.DoesNotContain(WrongPassword, string.Join("\n", events.Select(e => e.GetRawText())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_failure_that_bans_is_a_ban_event_and_the_next_attempt_is_a_banned_sign_in()
    {
        var (portal, log) = await StartAsync("""
            regulation:
              modes: ['user']
              max_retries: 2
              find_time: 2m
              ban_time: 5m
            """);
        await using var _ = portal;

        for (var i = 0; i < 2; i++)
        {
            (await portal.FirstFactorAsync("harry", WrongPassword)).Dispose();
        }
        using (var banned = await portal.FirstFactorAsync("harry", PortalTestHost.Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, banned.StatusCode);
        }

        var ban = Assert.Single(log.Audit("Ban"));
        AssertFields(ban, "harry", "1FA", "banned");
        Assert.Equal("user", CapturedLog.Text(ban, "Subject"));
        Assert.Equal(LogEventLevel.Warning, ban.Level);
        Assert.Equal(["failure", "failure", "banned"], log.Audit("SignIn").Select(e => CapturedLog.Text(e, "Result")));
    }

    [Fact]
    public async Task A_forward_auth_request_the_rules_deny_is_an_access_denied_event_naming_user_target_and_method()
    {
        var (portal, log) = await StartAsync();
        await using var _ = portal;
        var cookie = await portal.LoginAsync("harry");

        using (var allowed = await portal.ForwardAuthAsync("https://app.example.com/", cookie: cookie))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using (var denied = await portal.ForwardAuthAsync("https://admin.example.com/settings", "POST", cookie: cookie))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        var e = Assert.Single(log.Audit("AccessDenied"));
        AssertFields(e, "harry", "POST", "failure");
        Assert.Equal("https://admin.example.com/settings", CapturedLog.Text(e, "Target"));
        Assert.DoesNotContain(cookie, log.Everything(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Elevation_by_emailed_code_is_requested_then_used_and_the_code_is_never_logged()
    {
        var (portal, log) = await StartAsync();
        await using var _ = portal;
        var cookie = await portal.LoginAsync("john");

        using (var start = await SmtpPortal.RequestCodeAsync(portal, cookie))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        }
        var code = SmtpPortal.CodeIn(await File.ReadAllTextAsync(Path.Combine(portal.DirectoryPath, "notification.txt")));
        using (var wrong = await SmtpPortal.SubmitCodeAsync(portal, cookie, "WRONG2345"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        }
        using (var finish = await SmtpPortal.SubmitCodeAsync(portal, cookie, code))
        {
            Assert.Equal(HttpStatusCode.OK, finish.StatusCode);
        }

        AssertFields(Assert.Single(log.Audit("ElevationRequested")), "john", "email", "success");
        var used = log.Audit("ElevationUsed");
        Assert.Equal(2, used.Count);
        AssertFields(used[0], "john", "email", "failure");
        Assert.Equal("not_found", CapturedLog.Text(used[0], "Reason"));
        AssertFields(used[1], "john", "email", "success");
        var everything = log.Everything();
        Assert.DoesNotContain(code, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("WRONG2345", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(cookie, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_security_key_added_used_renamed_and_removed_is_one_event_each()
    {
        var (portal, log) = await StartAsync();
        await using var _ = portal;
        var browser = new WebAuthnClient(portal);
        var key = new SoftwareAuthenticator(browser.Origin);
        await browser.LoginAsync("john");
        await browser.ElevateAsync();

        await browser.RegisterAsync(key, "Laptop key");
        var (status, body) = await browser.SecondFactorAsync(key);
        Assert.True(status == HttpStatusCode.OK, body);
        var id = (await browser.ListAsync()).Single().GetProperty("id").ToString();
        using (var rename = await browser.SendAsync(HttpMethod.Put, $"/api/secondfactor/webauthn/credential/{id}", new { description = "Work key" }))
        {
            Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        }
        using (var delete = await browser.SendAsync(HttpMethod.Delete, $"/api/secondfactor/webauthn/credential/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        var added = Assert.Single(log.Audit("CredentialAdded"));
        AssertFields(added, "john", "webauthn", "success");
        Assert.Equal("Laptop key", CapturedLog.Text(added, "Credential"));
        AssertFields(Assert.Single(log.Audit("SecondFactor")), "john", "WebAuthn", "success");
        Assert.Equal("Work key", CapturedLog.Text(Assert.Single(log.Audit("CredentialRenamed")), "Credential"));
        AssertFields(Assert.Single(log.Audit("CredentialRemoved")), "john", "webauthn", "success");
        Assert.DoesNotContain(browser.Cookie!, log.Everything(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_everywhere_else_is_a_session_revoked_event_with_the_count_and_no_session_id()
    {
        var (portal, log) = await StartAsync();
        await using var _ = portal;
        var other = await portal.LoginAsync("bob");
        var current = await portal.LoginAsync("bob");

        using (var end = await portal.PostJsonAsync("/api/user/sessions/end-others", new { }, current))
        {
            Assert.Equal(HttpStatusCode.OK, end.StatusCode);
            using var json = JsonDocument.Parse(await end.Content.ReadAsStringAsync());
            Assert.Equal(1, json.RootElement.GetProperty("data").GetProperty("ended").GetInt32());
        }

        var e = Assert.Single(log.Audit("SessionRevoked"));
        AssertFields(e, "bob", "user", "success");
        Assert.Equal("1", CapturedLog.Text(e, "Count"));
        var everything = log.Everything();
        Assert.DoesNotContain(other, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(current, everything, StringComparison.Ordinal);
    }
}
