using System.Net;
using Portal.Tests.Support;
using Portal.WebAuthn;

namespace Portal.Tests.WebAuthn;

/// <summary>
/// Key names are shown in the settings list, the notification emails and the logs: characters that reorder the
/// text around them (bidirectional embeddings, overrides, isolates, marks) would let a name pass for another.
/// </summary>
public sealed class CredentialNameTests
{
    public static TheoryData<string> BidiNames => new()
    {
        "Key\u202Eyek", "Key\u202A", "Key\u202B", "Key\u202C", "Key\u202D",
        "Key\u2066x\u2069", "Key\u2067", "Key\u2068", "\u200EKey", "Key\u200F", "Key\u061C",
    };

    [Theory]
    [MemberData(nameof(BidiNames))]
    public void Name_with_a_bidirectional_control_is_refused(string name) => Assert.Null(CredentialNames.Normalize(name));

    [Theory]
    [InlineData("YubiKey 5C", "YubiKey 5C")]
    [InlineData("  Laptop  ", "Laptop")]
    [InlineData("مفتاح العمل", "مفتاح العمل")]
    [InlineData("👩‍💻 key", "👩‍💻 key")]
    public void Ordinary_names_in_any_script_are_kept(string name, string expected) => Assert.Equal(expected, CredentialNames.Normalize(name));

    [Fact]
    public async Task Registering_or_renaming_a_key_with_a_bidirectional_control_in_its_name_is_a_400()
    {
        await using var host = await PortalTestHost.StartAsync();
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");
        await browser.ElevateAsync();
        await browser.RegisterAsync(new SoftwareAuthenticator(browser.Origin), "Laptop");
        var id = (await browser.ListAsync())[0].GetProperty("id").GetInt64();

        foreach (var name in BidiNames)
        {
            var (registerStatus, _, registerBody) = await browser.BeginRegistrationAsync(name);
            Assert.Equal(HttpStatusCode.BadRequest, registerStatus);
            Assert.Contains(WebAuthnEndpoints.InvalidName, registerBody, StringComparison.Ordinal);

            using var rename = await browser.SendAsync(HttpMethod.Put, $"/api/secondfactor/webauthn/credential/{id}", new { description = name });
            Assert.Equal(HttpStatusCode.BadRequest, rename.StatusCode);
            Assert.Contains(WebAuthnEndpoints.InvalidName, await rename.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(["Laptop"], (await browser.ListAsync()).Select(c => c.GetProperty("description").GetString()));
    }
}
