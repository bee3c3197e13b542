using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Tests.Support;

namespace Portal.Tests.PasswordReset;

/// <summary>The reset over HTTP against a portal with a real SMTP server: ask for a link, read it from the mail, use it.</summary>
internal static partial class ResetFlow
{
    public const string JwtSecret = "a-very-long-jwt-secret-for-the-reset-tests-0123456789";

    /// <summary>The reset switched on, with <paramref name="more"/> (YAML, top level) after it.</summary>
    public static string Yaml(string more = "", string lifespan = "5 minutes") => $"""
        authentication_backend:
          password_reset:
            disable: false
        identity_validation:
          reset_password:
            jwt_secret: '{JwtSecret}'
            jwt_lifespan: '{lifespan}'

        """ + more;

    public static Task<HttpResponseMessage> AskAsync(PortalTestHost host, string username, string? clientIp = null) =>
        host.Client.SendAsync(SmtpPortal.Request(HttpMethod.Post, "/api/reset-password/identity/start", null, clientIp, body: new { username }));

    public static Task<HttpResponseMessage> CheckAsync(PortalTestHost host, string token) =>
        host.Client.SendAsync(SmtpPortal.Request(HttpMethod.Post, "/api/reset-password/identity/finish", null, body: new { token }));

    public static Task<HttpResponseMessage> ResetAsync(PortalTestHost host, string token, string password, string? clientIp = null) =>
        host.Client.SendAsync(SmtpPortal.Request(HttpMethod.Post, "/api/reset-password", null, clientIp, body: new { token, password }));

    /// <summary>Asks for a link for <paramref name="username"/> and returns the token from the mail to <paramref name="email"/>.</summary>
    public static async Task<string> EmailedTokenAsync(SmtpPortal portal, string username, string email)
    {
        using (var ask = await AskAsync(portal.Host, username))
        {
            Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        }
        return TokenFrom(await portal.Smtp.WaitForMailAsync(email));
    }

    public static string TokenFrom(ReceivedMail mail)
    {
        var match = Link().Match(mail.Text);
        Assert.True(match.Success, "no reset link in:\n" + mail.Text);
        return Uri.UnescapeDataString(match.Groups["token"].Value);
    }

    public static async Task<string> MessageAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString() ?? "";

    [GeneratedRegex(@"https://auth\.example\.com/reset-password/step2\?token=(?<token>\S+)")]
    private static partial Regex Link();
}
