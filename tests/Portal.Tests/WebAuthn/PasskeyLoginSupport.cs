using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Portal.Session;
using Portal.Tests.Support;

namespace Portal.Tests.WebAuthn;

/// <summary>The login page's passkey calls (<c>/api/firstfactor/passkey</c>, <c>/api/secondfactor/password</c>) for a <see cref="WebAuthnClient"/>.</summary>
internal static class PasskeyLoginSupport
{
    public const string PasskeyOn = "webauthn:\n  enable_passkey_login: true\n";

    public static string Switches(bool uvTwoFactors = false, bool upgrade = false) =>
        $"webauthn:\n  enable_passkey_login: true\n  experimental_enable_passkey_uv_two_factors: {(uvTwoFactors ? "true" : "false")}\n  experimental_enable_passkey_upgrade: {(upgrade ? "true" : "false")}\n";

    /// <summary>
    /// Registers a new credential of <paramref name="authenticator"/> for <paramref name="username"/> (password login,
    /// test elevation) and signs out. <paramref name="discoverable"/> false drops <c>credProps</c> from the response,
    /// as Safari and Brave do, so the portal records the credential as not discoverable.
    /// </summary>
    public static async Task RegisterAsync(PortalTestHost host, string username, SoftwareAuthenticator authenticator, string name = "Passkey", bool discoverable = true)
    {
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync(username);
        await browser.ElevateAsync();
        var (status, options, body) = await browser.BeginRegistrationAsync(name);
        Assert.True(status == HttpStatusCode.OK, body);
        var created = JsonNode.Parse(authenticator.Create(options!.Value))!.AsObject();
        if (!discoverable)
        {
            created["clientExtensionResults"] = new JsonObject();
        }
        var (done, doneBody) = await browser.CompleteRegistrationAsync(created.ToJsonString());
        Assert.True(done == HttpStatusCode.Created, doneBody);
        await browser.LogoutAsync();
    }

    public static async Task<(HttpStatusCode Status, JsonElement? PublicKey, string Body)> BeginPasskeyLoginAsync(this WebAuthnClient browser)
    {
        using var response = await browser.SendAsync(HttpMethod.Get, "/api/firstfactor/passkey");
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK
            ? (response.StatusCode, WebAuthnClient.DataOf(body).GetProperty("publicKey"), body)
            : (response.StatusCode, null, body);
    }

    public static async Task<(HttpStatusCode Status, string Body)> CompletePasskeyLoginAsync(this WebAuthnClient browser, string credentialJson,
        bool keepMeLoggedIn = false, string? targetUrl = null, string? requestMethod = null)
    {
        using var credential = JsonDocument.Parse(credentialJson);
        using var response = await browser.SendAsync(HttpMethod.Post, "/api/firstfactor/passkey",
            new { response = credential.RootElement, keepMeLoggedIn, targetURL = targetUrl, requestMethod });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET the discoverable options, let the authenticator answer, POST it.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> PasskeyLoginAsync(this WebAuthnClient browser, SoftwareAuthenticator authenticator,
        Tamper? tamper = null, SoftCredential? pick = null, bool keepMeLoggedIn = false, string? targetUrl = null, string? requestMethod = null)
    {
        var (status, options, body) = await browser.BeginPasskeyLoginAsync();
        Assert.True(status == HttpStatusCode.OK, body);
        return await browser.CompletePasskeyLoginAsync(authenticator.Get(options!.Value, tamper, pick), keepMeLoggedIn, targetUrl, requestMethod);
    }

    public static async Task<(HttpStatusCode Status, string Body)> PasswordStepAsync(this WebAuthnClient browser, string password, string? targetUrl = null)
    {
        using var response = await browser.SendAsync(HttpMethod.Post, "/api/secondfactor/password", new { password, targetURL = targetUrl });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> StateAsync(this WebAuthnClient browser)
    {
        using var response = await browser.SendAsync(HttpMethod.Get, "/api/state");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return WebAuthnClient.DataOf(body);
    }

    /// <summary>The session as stored, to read what was recorded (AMR, remember-me).</summary>
    public static async Task<UserSession> StoredSessionAsync(this WebAuthnClient browser)
    {
        var store = browser.Host.App.Services.GetRequiredService<ISessionStore>();
        return await store.LoadAsync(browser.Cookie ?? throw new InvalidOperationException("no session cookie"), CancellationToken.None)
            ?? throw new InvalidOperationException("no stored session");
    }

    /// <summary>The forward-auth status for <paramref name="url"/> with this browser's session (302 = sent to the portal).</summary>
    public static async Task<HttpStatusCode> ForwardAuthAsync(this WebAuthnClient browser, string url)
    {
        using var response = await browser.Host.ForwardAuthAsync(url, cookie: browser.Cookie);
        return response.StatusCode;
    }

    public static string? RedirectOf(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("redirect", out var r)
            ? r.GetString()
            : null;
    }
}
