using System.Net;
using System.Text.Json;
using Portal.Tests.Support;
using Portal.WebAuthn;

namespace Portal.Tests.WebAuthn;

/// <summary>Who may list, add, rename and delete credentials, what names are allowed, and webauthn.filtering.</summary>
public sealed class WebAuthnGuardTests
{
    [Fact]
    public async Task Registration_rename_and_delete_without_an_elevated_session_are_refused_with_the_elevation_body()
    {
        var (host, browser, _) = await WebAuthnTamperTests.ArrangeAsync();
        await using var _ = host;
        var id = (await browser.ListAsync())[0].GetProperty("id").GetInt64();
        await browser.LogoutAsync();
        await browser.LoginAsync("john");   // a new login drops the elevation
        var before = browser.Snapshot();

        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Put, "/api/secondfactor/webauthn/credential/register", new { description = "New" }),
            (HttpMethod.Post, "/api/secondfactor/webauthn/credential/register", new { id = "x" }),
            (HttpMethod.Delete, "/api/secondfactor/webauthn/credential/register", null),
            (HttpMethod.Put, $"/api/secondfactor/webauthn/credential/{id}", new { description = "Renamed" }),
            (HttpMethod.Delete, $"/api/secondfactor/webauthn/credential/{id}", null),
        })
        {
            using var response = body is null ? await browser.SendAsync(method, path) : await browser.SendAsync(method, path, body);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("KO", json.RootElement.GetProperty("status").GetString());
            var data = json.RootElement.GetProperty("data");
            Assert.True(data.GetProperty("elevation").GetBoolean(), $"{method} {path}");
            Assert.False(data.GetProperty("first_factor").GetBoolean());
            Assert.False(data.GetProperty("second_factor").GetBoolean());
        }
        Assert.Equal(before, browser.Snapshot());
    }

    [Fact]
    public async Task Anonymous_requests_are_refused_with_first_factor_and_the_list_needs_one_factor()
    {
        await using var host = await PortalTestHost.StartAsync();
        var anonymous = new WebAuthnClient(host);

        using var register = await anonymous.SendAsync(HttpMethod.Put, "/api/secondfactor/webauthn/credential/register", new { description = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, register.StatusCode);
        using (var json = JsonDocument.Parse(await register.Content.ReadAsStringAsync()))
        {
            Assert.True(json.RootElement.GetProperty("data").GetProperty("first_factor").GetBoolean());
        }
        using var list = await anonymous.SendAsync(HttpMethod.Get, "/api/secondfactor/webauthn/credentials");
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        using var assertion = await anonymous.SendAsync(HttpMethod.Get, "/api/secondfactor/webauthn");
        Assert.Equal(HttpStatusCode.Forbidden, assertion.StatusCode);
    }

    [Fact]
    public async Task An_elevation_verified_from_another_ip_does_not_allow_registration_and_is_dropped()
    {
        await using var host = await PortalTestHost.StartAsync();
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");
        await browser.ElevateAsync(remoteIp: WebAuthnClient.ForeignIp);

        var (status, _, body) = await browser.BeginRegistrationAsync("Key");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.True(WebAuthnClient.DataOf(body).GetProperty("elevation").GetBoolean());
        var store = host.App.Services.GetService(typeof(Portal.Session.ISessionStore)) as Portal.Session.ISessionStore;
        Assert.Null((await store!.LoadAsync(browser.Cookie!, CancellationToken.None))!.Elevation);
    }

    [Fact]
    public async Task An_elevation_that_expires_during_the_ceremony_stops_the_registration()
    {
        // Long session and WebAuthn timeouts, so only the 10-minute elevation runs out.
        await using var host = await PortalTestHost.StartAsync("session:\n  inactivity: 1h\n  expiration: 2h\nwebauthn:\n  timeout: 1h\n", manualClock: true);
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");
        await browser.ElevateAsync();
        var (_, options, _) = await browser.BeginRegistrationAsync("Key");
        host.Time!.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        var (status, body) = await browser.CompleteRegistrationAsync(new SoftwareAuthenticator(browser.Origin).Create(options!.Value));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.True(WebAuthnClient.DataOf(body).GetProperty("elevation").GetBoolean(), body);
        Assert.Empty(await browser.ListAsync());
    }

    [Fact]
    public async Task Names_are_1_to_64_characters_and_unique_per_user_ignoring_case()
    {
        var (host, browser, _) = await WebAuthnTamperTests.ArrangeAsync();
        await using var _ = host;

        Assert.Equal(HttpStatusCode.BadRequest, (await browser.BeginRegistrationAsync("")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.BeginRegistrationAsync("   ")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.BeginRegistrationAsync(new string('x', 65))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.BeginRegistrationAsync("tab\there")).Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.BeginRegistrationAsync(new string('é', 64))).Status);
        var (duplicate, _, body) = await browser.BeginRegistrationAsync("KEY");
        Assert.Equal(HttpStatusCode.Conflict, duplicate);
        Assert.Contains(WebAuthnEndpoints.DuplicateName, body, StringComparison.Ordinal);

        // Another user may use the same name.
        var harry = new WebAuthnClient(host);
        await harry.LoginAsync("harry");
        await harry.ElevateAsync();
        await harry.RegisterAsync(new SoftwareAuthenticator(harry.Origin), "key");
    }

    [Fact]
    public async Task Names_differing_only_in_non_ascii_case_are_duplicates_when_renaming()
    {
        var (host, browser, _) = await WebAuthnTamperTests.ArrangeAsync();
        await using var _ = host;
        await browser.RegisterAsync(new SoftwareAuthenticator(browser.Origin), "Clé");
        var id = (await browser.ListAsync())[0].GetProperty("id").GetInt64();

        using var response = await browser.SendAsync(HttpMethod.Put, $"/api/secondfactor/webauthn/credential/{id}", new { description = "CLÉ" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Another_users_credential_can_be_neither_renamed_nor_deleted()
    {
        var (host, browser, _) = await WebAuthnTamperTests.ArrangeAsync();
        await using var _ = host;
        var johnsId = (await browser.ListAsync())[0].GetProperty("id").GetInt64();
        var harry = new WebAuthnClient(host);
        await harry.LoginAsync("harry");
        await harry.ElevateAsync();
        var before = browser.Snapshot();

        using var rename = await harry.SendAsync(HttpMethod.Put, $"/api/secondfactor/webauthn/credential/{johnsId}", new { description = "Mine now" });
        using var delete = await harry.SendAsync(HttpMethod.Delete, $"/api/secondfactor/webauthn/credential/{johnsId}");
        using var garbage = await harry.SendAsync(HttpMethod.Delete, "/api/secondfactor/webauthn/credential/-1");

        Assert.Equal(HttpStatusCode.NotFound, rename.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal(before, browser.Snapshot());
    }

    [Fact]
    public async Task Cancelling_a_registration_makes_its_response_useless()
    {
        var (host, browser, _) = await WebAuthnTamperTests.ArrangeAsync();
        await using var _ = host;
        var (_, options, _) = await browser.BeginRegistrationAsync("Second");
        using (var cancel = await browser.SendAsync(HttpMethod.Delete, "/api/secondfactor/webauthn/credential/register"))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        var (status, _) = await browser.CompleteRegistrationAsync(new SoftwareAuthenticator(browser.Origin).Create(options!.Value));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Single(await browser.ListAsync());
    }

    [Fact]
    public async Task Second_factor_options_are_refused_to_a_user_without_credentials()
    {
        await using var host = await PortalTestHost.StartAsync();
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("bob");

        var (status, _, _) = await browser.BeginAssertionAsync();

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Garbage_bodies_get_400_not_500()
    {
        var (host, browser, _) = await WebAuthnTamperTests.ArrangeAsync();
        await using var _ = host;
        await browser.BeginRegistrationAsync("Second");
        foreach (var body in new[] { "not json", "[]", "{}", """{"id":"AA","rawId":"AA","type":"public-key","response":{}}""" })
        {
            var (registration, _) = await browser.CompleteRegistrationAsync(body);
            Assert.Equal(HttpStatusCode.BadRequest, registration);
        }
        await browser.BeginAssertionAsync();
        using var assertion = await browser.SendAsync(HttpMethod.Post, "/api/secondfactor/webauthn", "not json");
        Assert.Equal(HttpStatusCode.BadRequest, assertion.StatusCode);
        // The garbage above used up the ceremony: this one has none left.
        using var empty = await browser.SendAsync(HttpMethod.Post, "/api/secondfactor/webauthn", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    public static TheoryData<string, bool, bool> Filtering => new()
    {
        // yaml, authenticator backup-eligible, accepted
        { "filtering: { permitted_aaguids: ['cb69481e-8ff7-4039-93ec-0a2729a154a8'] }", false, false },
        { "filtering: { permitted_aaguids: ['01020304-0506-0708-0102-030405060708'] }", false, true },
        { "filtering: { prohibited_aaguids: ['01020304-0506-0708-0102-030405060708'] }", false, false },
        { "filtering: { prohibited_aaguids: ['cb69481e-8ff7-4039-93ec-0a2729a154a8'] }", false, true },
        { "filtering: { prohibit_backup_eligibility: true }", true, false },
        { "filtering: { prohibit_backup_eligibility: true }", false, true },
        { "filtering: { prohibit_backup_eligibility: false }", true, true },
    };

    [Theory]
    [MemberData(nameof(Filtering))]
    public async Task Filtering_decides_which_authenticators_may_register(string filtering, bool backupEligible, bool accepted)
    {
        await using var host = await PortalTestHost.StartAsync($"webauthn:\n  {filtering}\n");
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");
        await browser.ElevateAsync();
        var key = new SoftwareAuthenticator(browser.Origin) { Aaguid = Guid.Parse("01020304-0506-0708-0102-030405060708"), BackupEligible = backupEligible };
        var before = browser.Snapshot();
        var (_, options, _) = await browser.BeginRegistrationAsync("Key");

        var (status, body) = await browser.CompleteRegistrationAsync(key.Create(options!.Value));

        if (accepted)
        {
            Assert.True(status == HttpStatusCode.Created, body);
            Assert.Single(await browser.ListAsync());
        }
        else
        {
            Assert.True(status == HttpStatusCode.Forbidden, body);
            Assert.Empty(await browser.ListAsync());
            Assert.Equal(before.Split('\n').Count(l => l.StartsWith("webauthn_credentials", StringComparison.Ordinal)),
                browser.Snapshot().Split('\n').Count(l => l.StartsWith("webauthn_credentials", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Webauthn_disable_removes_the_routes()
    {
        await using var host = await PortalTestHost.StartAsync("webauthn:\n  disable: true\n");
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");

        using var response = await browser.SendAsync(HttpMethod.Get, "/api/secondfactor/webauthn/credentials");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
