using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Portal.Tests.Support;
using Portal.Tests.WebAuthn;

namespace Portal.Tests.Telemetry;

/// <summary>
/// <c>telemetry.metrics</c> on a real portal: real sign-ins and forward-auth decisions, then a real scrape of the
/// metrics listener, parsed as Prometheus reads it.
/// </summary>
public sealed class MetricsTests
{
    private static string MetricsYaml(int port, bool enabled = true) => $"""
        telemetry:
          metrics:
            enabled: {(enabled ? "true" : "false")}
            address: 'tcp://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/metrics'
        """;

    private static async Task<(List<PrometheusSample> Samples, Dictionary<string, string> Types)> ScrapeAsync(int port, string path = "/metrics")
    {
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{path}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var samples = PrometheusSample.Parse(await response.Content.ReadAsStringAsync(), out var types);
        return (samples, types);
    }

    [Fact]
    public async Task Sign_ins_and_authz_decisions_move_authelias_counters_on_the_metrics_listener()
    {
        var port = LoopbackPort.Free();
        await using var portal = await PortalTestHost.StartAsync(MetricsYaml(port));

        var cookie = await portal.LoginAsync("john");
        using (var wrong = await portal.FirstFactorAsync("john", "not-the-password"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using (var allowed = await portal.ForwardAuthAsync("https://app.example.com/", cookie: cookie))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using (var denied = await portal.ForwardAuthAsync("https://deny.example.com/", cookie: cookie))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        var (samples, types) = await ScrapeAsync(port);

        // Exact counts: only this portal's instruments are exported, whatever else runs in the process.
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_authn", ("success", "true"), ("banned", "false")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_authn", ("success", "false"), ("banned", "false")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_authz", ("code", "200")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_authz", ("code", "403")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_request", ("code", "200"), ("method", "POST")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_request", ("code", "401"), ("method", "POST")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_request", ("code", "403"), ("method", "GET")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_session_created"));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_request_duration_count", ("code", "403")));
        Assert.Equal(2, PrometheusSample.Find(samples, "portal_authn_duration_count"));
        // Authelia's buckets: request_duration from 5 ms, authn_duration from 0.5 ms.
        Assert.Contains(samples, s => s.Name == "portal_request_duration_bucket" && s.Labels["le"] == "0.005");
        Assert.Contains(samples, s => s.Name == "portal_authn_duration_bucket" && s.Labels["le"] == "0.0005");
        Assert.Equal("counter", types["portal_authz"]);
        Assert.Equal("counter", types["portal_authn"]);
        Assert.Equal("histogram", types["portal_request_duration"]);
        Assert.Equal("histogram", types["portal_authn_duration"]);

        using (var again = await portal.ForwardAuthAsync("https://deny.example.com/", cookie: cookie))
        {
            Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        }
        var (after, _) = await ScrapeAsync(port);
        Assert.Equal(2, PrometheusSample.Find(after, "portal_authz", ("code", "403")));
    }

    [Fact]
    public async Task Passkey_sign_ins_second_factors_by_type_and_one_time_codes_are_counted()
    {
        var port = LoopbackPort.Free();
        await using var portal = await PortalTestHost.StartAsync(PasskeyLoginSupport.PasskeyOn + MetricsYaml(port));
        var key = new SoftwareAuthenticator("https://auth.example.com");
        await PasskeyLoginSupport.RegisterAsync(portal, "john", key);

        var browser = new WebAuthnClient(portal);
        var (signedIn, signInBody) = await browser.PasskeyLoginAsync(key);
        Assert.True(signedIn == HttpStatusCode.OK, signInBody);
        var (wrong, _) = await browser.PasswordStepAsync("not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        var (right, rightBody) = await browser.PasswordStepAsync(PortalTestHost.Password);
        Assert.True(right == HttpStatusCode.OK, rightBody);
        var (assertion, assertionBody) = await browser.SecondFactorAsync(key);
        Assert.True(assertion == HttpStatusCode.OK, assertionBody);

        var cookie = await portal.LoginAsync("harry");
        (await SmtpPortal.RequestCodeAsync(portal, cookie)).Dispose();
        var code = SmtpPortal.CodeIn(await File.ReadAllTextAsync(Path.Combine(portal.DirectoryPath, "notification.txt")));
        using (var refused = await SmtpPortal.SubmitCodeAsync(portal, cookie, "WRONG2345"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        using (var used = await SmtpPortal.SubmitCodeAsync(portal, cookie, code))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        var (samples, _) = await ScrapeAsync(port);
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_authn_passkey", ("success", "true"), ("banned", "false")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_authn_second_factor", ("success", "false"), ("type", "password")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_authn_second_factor", ("success", "true"), ("type", "password")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_authn_second_factor", ("success", "true"), ("banned", "false"), ("type", "webauthn")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_one_time_code_sent"));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_one_time_code_refused", ("reason", "not_found")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_one_time_code_used"));
        // john's password sign-in to register, the passkey, harry: three sessions signed in.
        Assert.Equal(3, PrometheusSample.Find(samples, "portal_session_created"));
    }

    [Fact]
    public async Task A_sign_in_and_its_logout_are_counted_as_a_session_created_and_destroyed()
    {
        var port = LoopbackPort.Free();
        await using var portal = await PortalTestHost.StartAsync(MetricsYaml(port));
        var cookie = await portal.LoginAsync("harry");

        using (var logout = await portal.PostJsonAsync("/api/logout", new { }, cookie))
        {
            Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        }

        var (samples, _) = await ScrapeAsync(port);
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_session_created"));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_session_destroyed", ("reason", "logout")));
    }

    [Fact]
    public async Task The_metrics_are_served_only_on_their_own_listener_and_path()
    {
        var port = LoopbackPort.Free();
        await using var portal = await PortalTestHost.StartAsync(MetricsYaml(port));

        using (var onPortal = await portal.Client.GetAsync(new Uri("/metrics", UriKind.Relative)))
        {
            Assert.DoesNotContain("portal_", await onPortal.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var client = new HttpClient();
        using var elsewhere = await client.GetAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/api/health"));
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Metrics_off_means_no_listener()
    {
        var port = LoopbackPort.Free();
        await using var portal = await PortalTestHost.StartAsync(MetricsYaml(port, enabled: false));

        using var tcp = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => tcp.ConnectAsync(IPAddress.Loopback, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}
