using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.ForwardAuth;

/// <summary>
/// Rules bound to who the user is, through the real forward-auth endpoint: a <c>resources</c> regex with a User named
/// group, and <c>{user}</c>/<c>{group}</c> followed by the rest of the host. Users: john (admins, dev), harry (dev), bob.
/// </summary>
public sealed class IdentityBoundRuleTests
{
    private const string Rules = """
        access_control:
          default_policy: deny
          rules:
            - domain: 'id.example.com'
              resources:
                - '^/(?P<User>[a-zA-Z0-9]+)/personal(/|/.*)?$'
              policy: one_factor
            - domain: '{user}-files.example.com'
              policy: one_factor
            - domain: '{group}-wiki.example.com'
              policy: one_factor
        """;

    [Fact]
    public async Task A_User_resource_lets_john_into_his_own_pages_refuses_him_bobs_and_sends_anonymous_to_log_in()
    {
        await using var host = await PortalTestHost.StartAsync(accessControl: Rules);
        var john = await host.LoginAsync("john");

        using (var own = await host.ForwardAuthAsync("https://id.example.com/john/personal", cookie: john))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            Assert.Equal("john", PortalTestHost.Header(own, "Remote-User"));
        }
        using (var mixedCase = await host.ForwardAuthAsync("https://id.example.com/John/personal/notes", cookie: john))
        {
            Assert.Equal(HttpStatusCode.OK, mixedCase.StatusCode);
        }
        using (var bobs = await host.ForwardAuthAsync("https://id.example.com/bob/personal", cookie: john))
        {
            Assert.Equal(HttpStatusCode.Forbidden, bobs.StatusCode);
        }
        using var anonymous = await host.ForwardAuthAsync("https://id.example.com/bob/personal");
        Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);
        Assert.Equal("https://auth.example.com/?rd=https%3A%2F%2Fid.example.com%2Fbob%2Fpersonal&rm=GET", anonymous.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Placeholder_prefix_hosts_admit_only_their_user_or_the_members_of_their_group()
    {
        await using var host = await PortalTestHost.StartAsync(accessControl: Rules);
        var john = await host.LoginAsync("john");
        var harry = await host.LoginAsync("harry");

        (string Url, string? Cookie, HttpStatusCode Expected)[] cases =
        [
            ("https://john-files.example.com/", john, HttpStatusCode.OK),
            ("https://john-files.example.com/", harry, HttpStatusCode.Forbidden),
            ("https://harry-files.example.com/", harry, HttpStatusCode.OK),
            ("https://admins-wiki.example.com/", john, HttpStatusCode.OK),
            ("https://admins-wiki.example.com/", harry, HttpStatusCode.Forbidden),
            ("https://dev-wiki.example.com/", harry, HttpStatusCode.OK),
            ("https://john-files.example.com/", null, HttpStatusCode.Found),
            ("https://admins-wiki.example.com/", null, HttpStatusCode.Found),
        ];
        foreach (var (url, cookie, expected) in cases)
        {
            using var response = await host.ForwardAuthAsync(url, cookie: cookie);
            Assert.True(expected == response.StatusCode, $"{url} as {(cookie == john ? "john" : cookie == harry ? "harry" : "anonymous")}: {(int)response.StatusCode}");
        }
    }
}
