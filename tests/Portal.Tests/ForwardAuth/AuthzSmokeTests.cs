using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.ForwardAuth;

public sealed class AuthzSmokeTests
{
    [Fact]
    public async Task Anonymous_browser_is_redirected_and_a_logged_in_user_gets_remote_headers()
    {
        await using var portal = await PortalTestHost.StartAsync();

        using var anonymous = await portal.ForwardAuthAsync("https://app.example.com/dashboard?tab=1");
        Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);
        Assert.Equal("https://auth.example.com/?rd=https%3A%2F%2Fapp.example.com%2Fdashboard%3Ftab%3D1&rm=GET", anonymous.Headers.Location?.OriginalString);

        var cookie = await portal.LoginAsync("john");
        using var allowed = await portal.ForwardAuthAsync("https://app.example.com/dashboard", cookie: cookie);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("john", PortalTestHost.Header(allowed, "Remote-User"));
        Assert.Equal("admins,dev", PortalTestHost.Header(allowed, "Remote-Groups"));
        Assert.Equal("John Doe", PortalTestHost.Header(allowed, "Remote-Name"));
        Assert.Equal("john@example.com", PortalTestHost.Header(allowed, "Remote-Email"));
    }
}
