using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Session;
using Portal.Tests.Support;
using Portal.UserSessions;

namespace Portal.Tests.UserSessions;

/// <summary>"Your sessions" over HTTP, the same against every session store.</summary>
internal static class UserSessionsScenario
{
    public static async Task<HttpResponseMessage> SendAsync(PortalTestHost host, HttpMethod method, string path, string? cookie, string userAgent = "TestBrowser/1.0")
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = "auth.example.com";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={cookie}");
        }
        if (method == HttpMethod.Post)
        {
            request.Content = PortalTestHost.JsonBody(new { });
        }
        return await host.Client.SendAsync(request);
    }

    private static async Task<string> LoginAsync(PortalTestHost host, string username, string userAgent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/firstfactor")
        {
            Content = PortalTestHost.JsonBody(new { username, password = PortalTestHost.Password }),
        };
        request.Headers.Host = "auth.example.com";
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PortalTestHost.SessionCookie(response)!;
    }

    private static async Task<HttpStatusCode> AppAsync(PortalTestHost host, string cookie)
    {
        using var response = await host.ForwardAuthAsync("https://app.example.com/", cookie: cookie);
        return response.StatusCode;
    }

    private static async Task<JsonElement[]> ListAsync(PortalTestHost host, string cookie)
    {
        using var response = await SendAsync(host, HttpMethod.Get, "/api/user/sessions", cookie);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(cookie, body, StringComparison.Ordinal);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("data").EnumerateArray()];
    }

    /// <summary>
    /// john on a laptop and a phone, bob elsewhere: john lists his two sessions (bob's is not there), ends the phone's,
    /// cannot end his current one or bob's, then signs out everywhere else.
    /// </summary>
    public static async Task A_user_sees_their_sessions_and_ends_the_others(PortalTestHost host)
    {
        var laptop = await LoginAsync(host, "john", "Laptop/1.0");
        var phone = await LoginAsync(host, "john", "Phone/2.0");
        var tablet = await LoginAsync(host, "john", "Tablet/3.0");
        var bob = await LoginAsync(host, "bob", "Bob/1.0");

        var listed = await ListAsync(host, laptop);
        Assert.Equal(3, listed.Length);
        var current = Assert.Single(listed, s => s.GetProperty("current").GetBoolean());
        Assert.Equal("Laptop/1.0", current.GetProperty("user_agent").GetString());
        Assert.Equal("127.0.0.1", current.GetProperty("ip").GetString());
        Assert.Contains("pwd", current.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        var handles = listed.Select(s => s.GetProperty("handle").GetString()).ToList();
        Assert.DoesNotContain(SessionHandles.Of(bob), handles);

        using (var ended = await SendAsync(host, HttpMethod.Delete, $"/api/user/sessions/{SessionHandles.Of(phone)}", laptop))
        {
            Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        }
        await Eventually.UntilAsync("the phone to be signed out", async () => await AppAsync(host, phone) == HttpStatusCode.Found);
        Assert.Equal(HttpStatusCode.OK, await AppAsync(host, tablet));

        using (var self = await SendAsync(host, HttpMethod.Delete, $"/api/user/sessions/{SessionHandles.Of(laptop)}", laptop))
        {
            Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
            Assert.Contains(UserSessionsEndpoints.IsCurrent, await self.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var others = await SendAsync(host, HttpMethod.Delete, $"/api/user/sessions/{SessionHandles.Of(bob)}", laptop))
        {
            Assert.Equal(HttpStatusCode.NotFound, others.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, await AppAsync(host, bob));

        using (var everywhere = await SendAsync(host, HttpMethod.Post, "/api/user/sessions/end-others", laptop))
        {
            Assert.Equal(HttpStatusCode.OK, everywhere.StatusCode);
            var data = (await everywhere.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
            Assert.Equal(1, data.GetProperty("ended").GetInt32());
        }
        await Eventually.UntilAsync("the tablet to be signed out", async () => await AppAsync(host, tablet) == HttpStatusCode.Found);
        Assert.Equal(HttpStatusCode.OK, await AppAsync(host, laptop));
        Assert.Equal(HttpStatusCode.OK, await AppAsync(host, bob));
        Assert.Single(await ListAsync(host, laptop));
    }
}
