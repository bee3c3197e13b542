using System.Net;
using Portal.Demo;
using Portal.Tests.Support;

namespace Portal.Tests.Demo;

/// <summary>
/// <c>portal demo</c> driven over real sockets the way a browser would use it: plain http on *.localhost names,
/// one port, the portal behind the gateway, the demo app behind the portal's decisions.
/// </summary>
[Trait("Category", "Integration")] // a whole demo per test, signing in at the shipped users file's argon2 cost (64 MiB)
#pragma warning disable CA1001 // xunit disposes through IAsyncLifetime.DisposeAsync
public sealed class DemoHttpTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly TempDirectory _dir = new();
    private DemoHost _demo = null!;
    private DemoClient _client = null!;

    public async Task InitializeAsync()
    {
        _demo = await DemoHost.StartAsync(LoopbackPort.Free(), _dir.File("state"));
        _client = new DemoClient(_demo.Port);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _demo.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_public_page_opens_without_signing_in_and_shows_no_identity()
    {
        using var response = await _client.GetPageAsync(_client.App("/public"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<code>bypass</code>", html, StringComparison.Ordinal);
        Assert.Contains("Not signed in", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_remote_user_header_does_not_reach_the_demo_app()
    {
        using var response = await _client.GetPageAsync(_client.App("/"), ("Remote-User", "admin"), ("Remote-Groups", "admins"));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("admin", html, StringComparison.Ordinal);
        Assert.Contains("Not signed in", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_localhost_sends_the_browser_to_the_demo_app()
    {
        using var response = await _client.GetPageAsync($"http://localhost:{_demo.Port}/");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(_demo.AppUrl, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_one_factor_page_sends_an_anonymous_browser_to_the_portal_sign_in_page()
    {
        using var response = await _client.GetPageAsync(_client.App("/one-factor"));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var expected = _client.Portal($"/?rd={Uri.EscapeDataString(_client.App("/one-factor"))}&rm=GET");
        Assert.Equal(expected, response.Headers.Location?.OriginalString);

        using var signIn = await _client.GetPageAsync(expected);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("<h1>Sign in</h1>", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_user_signs_in_with_the_readme_password_and_opens_the_one_factor_page_as_demo()
    {
        var (response, body, setCookie) = await _client.SignInAsync("demo", DemoHost.Password, _client.App("/one-factor"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The portal accepts the http target (loopback name, loopback listeners) and sends the browser back to it.
        Assert.Contains($"\"redirect\":\"{_client.App("/one-factor")}\"", body, StringComparison.Ordinal);
        Assert.Contains("; Domain=demo.localhost;", setCookie, StringComparison.Ordinal);
        Assert.Contains("; Secure;", setCookie, StringComparison.Ordinal);

        using var page = await _client.GetPageAsync(_client.App("/one-factor"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<strong id=\"remote-user\">demo</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<th>Remote-Groups</th><td>admins,dev</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_session_id_from_the_portal_behind_the_gateway_is_not_overwritten_by_the_gateways_refresh_of_the_old_one()
    {
        await _client.SignInAsync("demo", DemoHost.Password);
        var first = _client.Session;

        // Signed in already, so the gateway's own decision refreshes the old session's cookie; the portal then gives
        // the session a new id. The browser must be left with the new one only.
        var (response, _, _) = await _client.SignInAsync("demo", DemoHost.Password);

        var sessionCookies = response.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("authelia_session=", StringComparison.Ordinal)).ToList();
        var cookie = Assert.Single(sessionCookies);
        Assert.DoesNotContain(first!, cookie, StringComparison.Ordinal);
        using var page = await _client.GetPageAsync(_client.App("/one-factor"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused()
    {
        var (response, _, setCookie) = await _client.SignInAsync("demo", "not-the-demo-password", _client.App("/one-factor"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", setCookie);
        using var page = await _client.GetPageAsync(_client.App("/one-factor"));
        Assert.Equal(HttpStatusCode.Found, page.StatusCode);
    }

    [Fact]
    public async Task The_two_factor_page_after_a_password_sends_the_browser_on_to_the_second_factor_page()
    {
        var target = _client.App("/two-factor");
        var (signedIn, body, _) = await _client.SignInAsync("demo", DemoHost.Password, target);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        // No redirect in the answer: the sign-in page moves on to the second-factor page instead.
        Assert.DoesNotContain("redirect", body, StringComparison.Ordinal);

        using var page = await _client.GetPageAsync(target);
        Assert.Equal(HttpStatusCode.Found, page.StatusCode);
        var location = page.Headers.Location?.OriginalString ?? "";
        Assert.Equal(_client.Portal($"/?rd={Uri.EscapeDataString(target)}&rm=GET"), location);

        using var secondFactor = await _client.GetPageAsync(_client.Portal($"/second-factor?rd={Uri.EscapeDataString(target)}&rm=GET"));
        Assert.Equal(HttpStatusCode.OK, secondFactor.StatusCode);
        Assert.Contains("second-factor.js", await secondFactor.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_protected_pages_are_protected_in_any_letter_case_because_the_demo_app_serves_them_so()
    {
        foreach (var path in new[] { "/ONE-FACTOR", "/One-Factor/", "/one-Factor?x" })
        {
            using var anonymous = await _client.GetPageAsync(_client.App(path));
            Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);
        }

        await _client.SignInAsync("demo", DemoHost.Password);
        using (var oneFactor = await _client.GetPageAsync(_client.App("/ONE-FACTOR")))
        {
            // The demo app routes without regard to case: this is its one-factor page.
            Assert.Equal(HttpStatusCode.OK, oneFactor.StatusCode);
            Assert.Contains("<code>one_factor</code>", await oneFactor.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        foreach (var path in new[] { "/Two-Factor", "/TWO-FACTOR/", "/two-Factor?x", "/TWO-factor/?a=b", "/tWo-FaCtOr" })
        {
            using var page = await _client.GetPageAsync(_client.App(path));
            Assert.Equal(HttpStatusCode.Found, page.StatusCode);
            Assert.StartsWith(_client.Portal("/?rd="), page.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_emailed_code_is_written_to_the_notification_file_the_startup_output_names()
    {
        await _client.SignInAsync("demo", DemoHost.Password);
        using var request = new HttpRequestMessage(HttpMethod.Post, _client.Portal("/api/user/session/elevation"));
        request.Headers.Add("Cookie", $"authelia_session={_client.Session}");
        using var response = await _client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var mail = await File.ReadAllTextAsync(_demo.NotificationFile);
        Assert.Contains("Recipient: Demo User <demo@example.com>", mail, StringComparison.Ordinal);
        // The link in the message points at the portal as the browser reaches it: plain http on the demo's port.
        Assert.Contains(_client.Portal("/revoke/one-time-code"), mail, StringComparison.Ordinal);
        Assert.Contains(_demo.NotificationFile, Portal.Cli.DemoCommand.Banner(_demo), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_portal_accepts_a_return_to_the_demo_app_but_no_other_plain_http_address()
    {
        await _client.SignInAsync("demo", DemoHost.Password);
        foreach (var (uri, ok) in new[]
        {
            (_client.App("/one-factor"), true),
            // Same cookie domain would be needed anyway; these prove http is not accepted beyond loopback names.
            ($"http://app.example.com:{_demo.Port}/", false),
            ($"http://demo.localhost.example.com:{_demo.Port}/", false),
            ($"http://evil.localhost:{_demo.Port}/", false),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _client.Portal("/api/checks/safe-redirection"))
            {
                Content = Support.PortalTestHost.JsonBody(new { uri }),
            };
            request.Headers.Add("Cookie", $"authelia_session={_client.Session}");
            using var response = await _client.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(body.Contains($"\"ok\":{(ok ? "true" : "false")}", StringComparison.Ordinal), $"{uri}: {body}");
        }
    }

    [Fact]
    public async Task Secrets_are_generated_on_first_start_kept_private_and_reused_after_a_restart()
    {
        var secretFile = Path.Combine(_demo.StateDirectory, "session_secret");
        var keyFile = Path.Combine(_demo.StateDirectory, "storage_encryption_key");
        var (secret, key) = (await File.ReadAllTextAsync(secretFile), await File.ReadAllTextAsync(keyFile));
        Assert.Equal(65, secret.Length);
        Assert.NotEqual(secret, key);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secretFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_demo.StateDirectory));
        var config = await File.ReadAllTextAsync(_demo.ConfigFile);
        Assert.DoesNotContain(secret.Trim(), config, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Trim(), config, StringComparison.Ordinal);

        var port = _demo.Port;
        await _demo.DisposeAsync();
        _demo = await DemoHost.StartAsync(port, _demo.StateDirectory);
        Assert.Equal(secret, await File.ReadAllTextAsync(secretFile));
        Assert.Equal(key, await File.ReadAllTextAsync(keyFile));
        // The database opened with the kept key: sign-in still works.
        var (response, _, _) = await _client.SignInAsync("demo", DemoHost.Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void The_repository_ships_no_demo_secret()
    {
        var root = RepositoryFiles.Root;
        var demoFiles = Directory.GetFiles(Path.Combine(root, "src", "Portal", "Demo"));
        Assert.Equal(["DemoHost.cs", "DemoUpstream.cs", "users_database.yml"], demoFiles.Select(Path.GetFileName).Order());
    }
}
