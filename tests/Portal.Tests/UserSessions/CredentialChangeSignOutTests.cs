using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Support;
using Portal.Tests.WebAuthn;
using Portal.Users;

namespace Portal.Tests.UserSessions;

/// <summary><c>session.sign_out_on_credential_change</c>: a changed credential ends what may have been opened with the old one.</summary>
public sealed class CredentialChangeSignOutTests
{
    private const string On = "session:\n  sign_out_on_credential_change: true\n";

    private static async Task<HttpStatusCode> AppAsync(PortalTestHost host, string cookie)
    {
        using var response = await host.ForwardAuthAsync("https://app.example.com/", cookie: cookie);
        return response.StatusCode;
    }

    [Fact]
    public async Task Adding_and_removing_a_key_ends_the_users_other_sessions_and_keeps_the_one_that_made_the_change()
    {
        await using var host = await PortalTestHost.StartAsync(On);
        var phone = await host.LoginAsync("john");
        var bob = await host.LoginAsync("bob");
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");
        await browser.ElevateAsync();

        await browser.RegisterAsync(new SoftwareAuthenticator(browser.Origin), "Key");

        Assert.Equal(HttpStatusCode.Found, await AppAsync(host, phone));
        Assert.Equal(HttpStatusCode.OK, await AppAsync(host, browser.Cookie!));
        Assert.Equal(HttpStatusCode.OK, await AppAsync(host, bob));

        var tablet = await host.LoginAsync("john");
        using (var list = await browser.SendAsync(HttpMethod.Get, "/api/secondfactor/webauthn/credentials"))
        {
            var id = System.Text.Json.JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("data")[0].GetProperty("id").GetInt64();
            using var deleted = await browser.SendAsync(HttpMethod.Delete, $"/api/secondfactor/webauthn/credential/{id}");
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Found, await AppAsync(host, tablet));
        Assert.Equal(HttpStatusCode.OK, await AppAsync(host, browser.Cookie!));
    }

    [Fact]
    public async Task Without_the_option_a_new_key_leaves_the_other_sessions_alone()
    {
        await using var host = await PortalTestHost.StartAsync();
        var phone = await host.LoginAsync("john");
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");
        await browser.ElevateAsync();

        await browser.RegisterAsync(new SoftwareAuthenticator(browser.Origin), "Key");

        Assert.Equal(HttpStatusCode.OK, await AppAsync(host, phone));
    }

    [Fact]
    public async Task A_password_changed_in_the_users_file_ends_every_session_of_that_user()
    {
        await using var host = await PortalTestHost.StartAsync(On);
        var laptop = await host.LoginAsync("john");
        var phone = await host.LoginAsync("john");
        var bob = await host.LoginAsync("bob");
        var users = Path.Combine(host.DirectoryPath, "users.yml");
        var text = await File.ReadAllTextAsync(users);
        var johnStart = text.IndexOf("  john:", StringComparison.Ordinal);
        var hashStart = text.IndexOf("password: '", johnStart, StringComparison.Ordinal) + "password: '".Length;
        var hashEnd = text.IndexOf('\'', hashStart);
        var newHash = Portal.Crypto.Argon2Digest.Create("a-brand-new-password", Portal.Crypto.Argon2Parameters.Default).Encode();
        await File.WriteAllTextAsync(users, text[..hashStart] + newHash + text[hashEnd..]);

        Assert.Empty(((FileUserProvider)host.App.Services.GetRequiredService<IUserProvider>()).Reload());

        await Eventually.UntilAsync("john's sessions to end", async () =>
            await AppAsync(host, laptop) == HttpStatusCode.Found && await AppAsync(host, phone) == HttpStatusCode.Found);
        Assert.Equal(HttpStatusCode.OK, await AppAsync(host, bob));
    }
}
