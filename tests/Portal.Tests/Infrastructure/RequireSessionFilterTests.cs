using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Configuration;
using Portal.Elevation;
using Portal.Infrastructure;
using Portal.Session;
using Portal.Storage;
using Portal.Tests.Support;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// <see cref="RequireSessionFilter"/> run on its own (no HTTP): what each requirement lets through and how it refuses,
/// and, behind the API groups' <see cref="OutageFilter"/>, a session store or storage outage as a 503.
/// </summary>
public sealed class RequireSessionFilterTests : IAsyncLifetime
{
    private PortalTestHost _host = null!;
    private PortalTestHost _storeDown = null!;
    private string _john = null!;

    public async Task InitializeAsync()
    {
        _host = await PortalTestHost.StartAsync();
        _john = await _host.LoginAsync("john");
        _storeDown = await PortalTestHost.StartAsync(configure: b => b.Services.Replace(ServiceDescriptor.Singleton<ISessionStore>(new DownSessionStore())));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _storeDown.DisposeAsync();
    }

    public static TheoryData<string, int, string> AnonymousRefusals => new()
    {
        { "signed in", 403, """{"status":"KO","message":"Forbidden"}""" },
        { "signed in, 401", 401, """{"status":"KO","message":"Unauthorized"}""" },
        { "a user, 401", 401, """{"status":"KO","message":"Unauthorized"}""" },
        { "elevated", 403, """{"status":"KO","data":{"elevation":false,"first_factor":true,"second_factor":false}}""" },
    };

    [Theory]
    [MemberData(nameof(AnonymousRefusals))]
    public async Task An_anonymous_session_gets_the_status_and_body_its_requirement_refuses_with(string requirement, int status, string body)
    {
        var run = await RunAsync(_host, Requirement(requirement), cookie: null);

        Assert.Equal((status, body), (run.Status, run.Body));
        Assert.Null(run.Handed);
    }

    [Theory]
    [InlineData("any")]
    [InlineData("anonymous")]
    public async Task An_anonymous_session_passes_a_requirement_that_asks_for_no_user_and_reaches_the_handler(string requirement)
    {
        var run = await RunAsync(_host, Requirement(requirement), cookie: null);

        Assert.Equal(200, run.Status);
        Assert.NotNull(run.Handed);
        Assert.True(run.Handed.Session.IsAnonymous);
        Assert.Equal(AuthenticationLevel.NotAuthenticated, run.Handed.Level);
    }

    [Theory]
    [InlineData("signed in")]
    [InlineData("a user, 401")]
    [InlineData("any")]
    public async Task A_signed_in_session_is_handed_to_the_handler_with_its_level(string requirement)
    {
        var run = await RunAsync(_host, Requirement(requirement), _john);

        Assert.Equal(200, run.Status);
        Assert.Equal("john", run.Handed?.Session.Username);
        Assert.Equal(AuthenticationLevel.OneFactor, run.Handed?.Level);
    }

    [Fact]
    public async Task A_signed_in_session_is_refused_where_a_sign_in_must_start_anonymous()
    {
        var run = await RunAsync(_host, SessionRequirement.Anonymous, _john);

        Assert.Equal((403, """{"status":"KO","message":"Forbidden"}"""), (run.Status, run.Body));
        Assert.Null(run.Handed);
    }

    [Fact]
    public async Task A_signed_in_session_that_is_not_elevated_is_refused_where_credentials_change()
    {
        var run = await RunAsync(_host, SessionRequirement.Elevated, _john);

        Assert.Equal((403, """{"status":"KO","data":{"elevation":true,"first_factor":false,"second_factor":false}}"""), (run.Status, run.Body));
        Assert.Null(run.Handed);
    }

    [Fact]
    public async Task A_portal_host_under_no_cookie_domain_gets_400_unless_the_requirement_refuses_it_like_a_missing_session()
    {
        var named = await RunAsync(_host, SessionRequirement.SignedIn, _john, portalHost: "auth.example.org");
        var refused = await RunAsync(_host, SessionRequirement.SignedIn with { RefusedStatus = 401, RefusesUnknownDomain = true }, _john, portalHost: "auth.example.org");

        Assert.Equal((400, """{"status":"KO","message":"This portal address is not under a configured session cookie domain."}"""), (named.Status, named.Body));
        Assert.Equal((401, """{"status":"KO","message":"Unauthorized"}"""), (refused.Status, refused.Body));
    }

    [Fact]
    public async Task A_refused_session_cookie_is_expired_only_where_the_requirement_says_so()
    {
        var expiring = await RunAsync(_host, SessionRequirement.SignedIn with { ExpiresRejectedCookie = true }, "no-such-session");
        var plain = await RunAsync(_host, SessionRequirement.SignedIn, "no-such-session");

        Assert.Equal(403, expiring.Status);
        Assert.StartsWith("authelia_session=;", expiring.SetCookie, StringComparison.Ordinal);
        Assert.Equal(403, plain.Status);
        Assert.Null(plain.SetCookie);
    }

    [Fact]
    public async Task A_session_store_outage_while_loading_the_session_is_a_503_behind_the_outage_filter()
    {
        var run = await RunAsync(_storeDown, SessionRequirement.SignedIn, _john, outageFilter: true);

        Assert.Equal((503, """{"status":"KO","message":"The session store is unavailable. Try again shortly."}"""), (run.Status, run.Body));
        Assert.Null(run.Handed);
    }

    [Fact]
    public async Task A_session_store_or_storage_outage_in_the_handler_is_a_503_that_says_which()
    {
        var session = await RunAsync(_host, SessionRequirement.SignedIn, _john, outageFilter: true, handlerThrows: new SessionStoreUnavailableException());
        var storage = await RunAsync(_host, SessionRequirement.SignedIn, _john, outageFilter: true, handlerThrows: new StorageUnavailableException("storage: locked"));

        Assert.Equal((503, """{"status":"KO","message":"The session store is unavailable. Try again shortly."}"""), (session.Status, session.Body));
        Assert.Equal((503, """{"status":"KO","message":"The storage is unavailable. Try again shortly."}"""), (storage.Status, storage.Body));
    }

    [Theory]
    [InlineData("GET", "/api/state")]
    [InlineData("GET", "/api/configuration")]
    [InlineData("GET", "/api/user/session/elevation")]
    [InlineData("GET", "/api/secondfactor/webauthn/credentials")]
    public async Task Over_HTTP_the_group_outage_filter_answers_for_the_session_filter_of_every_feature(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Host = "auth.example.com";
        request.Headers.Add("Cookie", $"authelia_session={_john}");

        using var response = await _storeDown.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"status":"KO","message":"The session store is unavailable. Try again shortly."}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_handler_whose_endpoint_has_no_RequireSession_gets_a_session_that_refuses_to_be_read()
    {
        var unfilled = await PortalSession.BindAsync(new DefaultHttpContext());

        Assert.NotNull(unfilled);
        Assert.Throws<InvalidOperationException>(() => unfilled.Session);
        Assert.Throws<InvalidOperationException>(() => unfilled.Manager);
    }

    private static SessionRequirement Requirement(string name) => name switch
    {
        "any" => SessionRequirement.Any,
        "anonymous" => SessionRequirement.Anonymous,
        "signed in" => SessionRequirement.SignedIn,
        "signed in, 401" => SessionRequirement.SignedIn with { RefusedStatus = 401 },
        "a user, 401" => new SessionRequirement(SessionNeed.User) { RefusedStatus = 401 },
        "elevated" => SessionRequirement.Elevated,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private sealed record Run(int Status, string Body, string? SetCookie, PortalSession? Handed);

    private static async Task<Run> RunAsync(PortalTestHost portal, SessionRequirement requirement, string? cookie, string portalHost = "auth.example.com",
        bool outageFilter = false, Exception? handlerThrows = null)
    {
        var services = portal.App.Services;
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Host = new HostString(portalHost);
        if (cookie is not null)
        {
            http.Request.Headers.Cookie = $"authelia_session={cookie}";
        }
        http.Response.Body = new MemoryStream();
        var filter = new RequireSessionFilter(requirement, services.GetRequiredService<PortalSessions>(), services.GetRequiredService<PortalOptions>(),
            services.GetRequiredService<ElevationGuard>());
        PortalSession? handed = null;
        EndpointFilterDelegate handler = context =>
        {
            if (handlerThrows is not null)
            {
                throw handlerThrows;
            }
            handed = (PortalSession)context.Arguments[0]!;
            return ValueTask.FromResult<object?>(Api.Ok());
        };
        var invocation = new DefaultEndpointFilterInvocationContext(http, await PortalSession.BindAsync(http));
        var result = outageFilter
            ? await new OutageFilter(NullLogger.Instance).InvokeAsync(invocation, c => filter.InvokeAsync(c, handler))
            : await filter.InvokeAsync(invocation, handler);
        await Assert.IsAssignableFrom<IResult>(result).ExecuteAsync(http);
        var setCookie = http.Response.Headers.SetCookie.ToString();
        return new Run(http.Response.StatusCode, System.Text.Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray()),
            setCookie.Length == 0 ? null : setCookie, handed);
    }

    private sealed class DownSessionStore : ISessionStore
    {
        public Task<UserSession?> LoadAsync(string id, CancellationToken cancellationToken) => throw new SessionStoreUnavailableException();

        public Task SaveAsync(string id, UserSession session, TimeSpan ttl, CancellationToken cancellationToken) => throw new SessionStoreUnavailableException();

        public Task<bool> SaveIfUnchangedAsync(string id, UserSession session, TimeSpan ttl, CancellationToken cancellationToken) => throw new SessionStoreUnavailableException();

        public Task DeleteAsync(string id, CancellationToken cancellationToken) => throw new SessionStoreUnavailableException();

        public Task<IReadOnlyList<StoredSession>> ListForUserAsync(string userKey, CancellationToken cancellationToken) => throw new SessionStoreUnavailableException();
    }
}
