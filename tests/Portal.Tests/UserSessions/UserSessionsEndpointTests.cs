using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.UserSessions;

public sealed class UserSessionsEndpointTests
{
    [Fact]
    public async Task A_user_sees_their_sessions_and_ends_the_others_with_sessions_in_memory()
    {
        await using var host = await PortalTestHost.StartAsync();
        await UserSessionsScenario.A_user_sees_their_sessions_and_ends_the_others(host);
    }

    [Theory]
    [InlineData("GET", "/api/user/sessions")]
    [InlineData("POST", "/api/user/sessions/end-others")]
    [InlineData("DELETE", "/api/user/sessions/abc")]
    public async Task Nobody_signed_out_can_list_or_end_sessions(string method, string path)
    {
        await using var host = await PortalTestHost.StartAsync();

        using var response = await UserSessionsScenario.SendAsync(host, new HttpMethod(method), path, cookie: null);

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, response.StatusCode.ToString());
    }
}
