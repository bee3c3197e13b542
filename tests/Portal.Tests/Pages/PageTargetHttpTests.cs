using System.Net;
using System.Text.Json;
using Portal.Tests.ForwardAuth;
using Portal.Tests.FirstFactor;
using Portal.Tests.Support;

namespace Portal.Tests.Pages;

/// <summary>
/// Where the pages send a signed-in user with a target: <c>/api/checks/access</c> answers with the authz endpoints'
/// own decision, and a page asked to carry a target the portal would never redirect to shows the bad-link page (400)
/// instead of a sign-in that leads nowhere.
/// </summary>
public sealed class PageTargetHttpTests(AuthzMatrixFixture fixture) : IClassFixture<AuthzMatrixFixture>
{
    private PortalTestHost Host => fixture.Host;

    private async Task<HttpResponseMessage> PageAsync(string pathAndQuery)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Host = "auth.example.com";
        return await Host.Client.SendAsync(request);
    }

    private string Cookie(string who) => who switch
    {
        "john" => fixture.John,
        "john2fa" => fixture.JohnTwoFactor,
        "harry" => fixture.Harry,
        _ => fixture.Bob,
    };

    [Theory]
    [InlineData("john", "https://app.example.com/notes", "allowed", 200)]
    [InlineData("john", "https://secure.example.com/vault", "more_factors", 302)]
    [InlineData("john2fa", "https://secure.example.com/vault", "allowed", 200)]
    [InlineData("john", "https://admin.example.com/", "allowed", 200)]
    [InlineData("harry", "https://admin.example.com/", "forbidden", 403)]
    [InlineData("bob", "https://deny.example.com/", "forbidden", 403)]
    [InlineData("bob", "https://public.example.com/", "allowed", 200)]
    public async Task The_access_check_gives_the_same_answer_as_the_forward_auth_endpoint(string who, string target, string access, int forwardAuthStatus)
    {
        using var check = await Host.PostJsonAsync("/api/checks/access", new { uri = target }, Cookie(who));
        using var authz = await Host.ForwardAuthAsync(target, cookie: Cookie(who));

        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        var body = JsonDocument.Parse(await check.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(access, body.GetProperty("data").GetProperty("access").GetString());
        Assert.Equal(forwardAuthStatus, (int)authz.StatusCode);
    }

    [Fact]
    public async Task Signing_in_for_a_target_the_rules_deny_this_user_gives_no_redirect_into_the_403()
    {
        using var harry = await Host.FirstFactorAsync("harry", PortalTestHost.Password, targetUrl: "https://admin.example.com/");
        using var john = await Host.FirstFactorAsync("john", PortalTestHost.Password, targetUrl: "https://admin.example.com/");

        Assert.Equal("""{"status":"OK"}""", await harry.Content.ReadAsStringAsync());
        Assert.Equal("""{"status":"OK","data":{"redirect":"https://admin.example.com/"}}""", await john.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_access_check_answers_only_a_signed_in_session()
    {
        using var anonymous = await Host.PostJsonAsync("/api/checks/access", new { uri = "https://app.example.com/" }, null);
        using var stale = await Host.PostJsonAsync("/api/checks/access", new { uri = "https://app.example.com/" }, "no-such-session");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.com/")]
    [InlineData("http://app.example.com/")]
    [InlineData("//evil.com")]
    [InlineData("")]
    public async Task The_access_check_refuses_a_target_the_portal_would_not_redirect_to(string target)
    {
        using var response = await Host.PostJsonAsync("/api/checks/access", new { uri = target }, fixture.John);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    public static TheoryData<string> BadTargets()
    {
        var data = new TheoryData<string>();
        foreach (var target in OpenRedirectHttpTests.OpenRedirects)
        {
            if (target.Length > 0)
            {
                data.Add(target);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadTargets))]
    public async Task The_sign_in_page_with_an_unsafe_rd_is_the_bad_link_page(string target)
    {
        using var response = await PageAsync("/?rd=" + Uri.EscapeDataString(target));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("This link can't be used", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/second-factor?rd=https%3A%2F%2Fevil.com%2F")]
    [InlineData("/settings?rd=https%3A%2F%2Fevil.com%2F")]
    [InlineData("/forbidden?rd=https%3A%2F%2Fevil.com%2F")]
    [InlineData("/settings?enroll=passkey&next=https%3A%2F%2Fevil.com%2F")]
    [InlineData("/settings?enroll=passkey&next=%2F%2Fevil.com")]
    [InlineData("/?rd=https%3A%2F%2Fapp.example.com%2F&rd=https%3A%2F%2Fevil.com%2F")]
    public async Task Every_page_that_carries_a_target_refuses_an_unsafe_one(string pathAndQuery)
    {
        using var response = await PageAsync(pathAndQuery);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("This link can't be used", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/?rd=https%3A%2F%2Fapp.example.com%2Fnotes%3Fid%3D7&rm=GET", "<title>Sign in")]
    [InlineData("/?rd=", "<title>Sign in")]
    [InlineData("/second-factor?rd=https%3A%2F%2Fsecure.example.com%2F", "<title>Second factor")]
    [InlineData("/settings?enroll=passkey&next=second-factor%3Frd%3Dhttps%253A%252F%252Fsecure.example.com%252F", "<title>Security keys and passkeys")]
    [InlineData("/settings?enroll=passkey&next=https%3A%2F%2Fapp.example.net%2F", "<title>Security keys and passkeys")]
    [InlineData("/forbidden?rd=https%3A%2F%2Fadmin.example.com%2F", "<title>No access")]
    public async Task Pages_with_a_safe_target_or_none_are_served(string pathAndQuery, string title)
    {
        using var response = await PageAsync(pathAndQuery);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(title, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
