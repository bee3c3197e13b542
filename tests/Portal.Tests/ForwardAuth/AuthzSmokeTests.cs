using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.ForwardAuth;

public sealed class AuthzSmokeTests
{
    [Fact]
    public async Task Changed_groups_in_the_users_file_are_forwarded_on_the_next_request_of_an_open_session()
    {
        // The allowed answer's Remote-* headers are built once per user as the file holds them: a reload must show.
        await using var portal = await PortalTestHost.StartAsync();
        var cookie = await portal.LoginAsync("john");
        using (var before = await portal.ForwardAuthAsync("https://app.example.com/", cookie: cookie))
        {
            Assert.Equal("admins,dev", PortalTestHost.Header(before, "Remote-Groups"));
        }
        var users = Path.Combine(portal.DirectoryPath, "users.yml");
        await File.WriteAllTextAsync(users, (await File.ReadAllTextAsync(users)).Replace("groups: ['admins', 'dev']", "groups: ['dev', 'ops']", StringComparison.Ordinal));

        Assert.Empty(((Portal.Users.FileUserProvider)portal.App.Services.GetRequiredService<Portal.Users.IUserProvider>()).Reload());

        using var after = await portal.ForwardAuthAsync("https://app.example.com/", cookie: cookie);
        Assert.Equal("dev,ops", PortalTestHost.Header(after, "Remote-Groups"));
    }

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
