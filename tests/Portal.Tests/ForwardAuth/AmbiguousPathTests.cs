using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.ForwardAuth;

/// <summary>
/// A path that backends read differently (<c>/admin/..;/public</c> is <c>/public</c> to Authelia's reading and
/// <c>/admin/..;/public</c> under <c>/admin</c> to an app that keeps ';'): the authz endpoints decide on every reading
/// and enforce the strictest, or refuse it with 400 under <c>access_control.ambiguous_paths: refuse</c>.
/// </summary>
public sealed class AmbiguousPathTests
{
    private static string Rules(string mode) => $"""
        access_control:
          default_policy: 'one_factor'
          ambiguous_paths: '{mode}'
          rules:
            - domain: 'app.example.com'
              resources: ['^/public([/?].*)?$']
              policy: 'bypass'
            - domain: 'app.example.com'
              resources: ['^/admin([/?].*)?$']
              policy: 'deny'
        """;

    [Theory]
    [InlineData("/admin/..;/public")]
    [InlineData("/admin/..%2Fpublic")]
    [InlineData("/admin//../public")]
    [InlineData("/admin/%2e%2e/public")]
    [InlineData("/public/../admin")]
    public async Task By_default_a_path_read_as_public_by_one_backend_and_admin_by_another_gets_the_admin_rule(string path)
    {
        await using var host = await PortalTestHost.StartAsync(accessControl: Rules("strictest"));
        var john = await host.LoginAsync("john");
        using var forward = await ForwardAsync(host, path, john);
        Assert.Equal(HttpStatusCode.Forbidden, forward.StatusCode);
        using var anonymous = await ForwardAsync(host, path, null);
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
        using var nginx = await host.AuthRequestAsync("https://app.example.com" + path, cookie: john);
        Assert.Equal(HttpStatusCode.Forbidden, nginx.StatusCode);
    }

    [Fact]
    public async Task In_refuse_mode_an_ambiguous_path_gets_400_and_an_ordinary_one_is_decided()
    {
        await using var host = await PortalTestHost.StartAsync(accessControl: Rules("refuse"));
        using (var ambiguous = await ForwardAsync(host, "/public/..;/x", null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, ambiguous.StatusCode);
        }
        using (var nginx = await host.AuthRequestAsync("https://app.example.com/admin/..%2Fpublic"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, nginx.StatusCode);
        }
        using (var ordinary = await ForwardAsync(host, "/public/x", null))
        {
            Assert.Equal(HttpStatusCode.OK, ordinary.StatusCode);
        }
        // Readings that agree are not ambiguous: percent-encoded letters decode the same everywhere.
        using var encoded = await ForwardAsync(host, "/public/caf%C3%A9", null);
        Assert.Equal(HttpStatusCode.OK, encoded.StatusCode);
    }

    [Fact]
    public async Task Every_answer_of_the_authz_endpoints_names_the_endpoint_that_decided()
    {
        await using var host = await PortalTestHost.StartAsync(accessControl: Rules("strictest"));
        using var allowed = await ForwardAsync(host, "/public/x", null);
        using var refused = await ForwardAsync(host, "/x", null);
        using var bad = await ForwardAsync(host, "/x#y", null);
        foreach (var response in new[] { allowed, refused, bad })
        {
            Assert.Equal(["forward-auth"], response.Headers.GetValues("Portal-Authz-Decision"));
        }
        using var nginx = await host.AuthRequestAsync("https://app.example.com/public/x");
        Assert.Equal(["auth-request"], nginx.Headers.GetValues("Portal-Authz-Decision"));
        using var page = await host.Client.GetAsync("/elsewhere/api/authz/forward-auth");
        Assert.False(page.Headers.Contains("Portal-Authz-Decision"));
    }

    private static Task<HttpResponseMessage> ForwardAsync(PortalTestHost host, string uri, string? cookie)
    {
        // Not through Uri: it would resolve the dot segments this test is about.
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/authz/forward-auth");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "app.example.com");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Uri", uri);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Method", "GET");
        request.Headers.TryAddWithoutValidation("Accept", "text/html");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={cookie}");
        }
        return host.Client.SendAsync(request);
    }
}
