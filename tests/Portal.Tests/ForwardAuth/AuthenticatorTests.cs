using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.AccessControl;
using Portal.Configuration;
using Portal.ForwardAuth;
using Portal.Regulation;
using Portal.Session;
using Portal.Tests.Regulation;
using Portal.Tests.Support;
using Portal.Users;

namespace Portal.Tests.ForwardAuth;

/// <summary>
/// The authz authenticators on their own: basic credentials in each header variant, the session cookie, and their
/// order. Users are in memory, the clock's timers fire at once (the 2 s basic failure delay costs nothing).
/// </summary>
public sealed class AuthenticatorTests : IDisposable
{
    private static readonly UserDetails John = new("john", "John Doe", ["john@example.com"], ["admins", "dev"]);

    private readonly ManualTimeProvider _time = new() { FireTimersAtOnce = true };
    private readonly RecordingAuthenticationLogStore _log = new();
    private readonly FakeUsers _users = new();
    private readonly RegulatedCredential _regulated;
    private readonly BasicCredentialCache _cache;
    private readonly InMemorySessionStore _sessions;
    private readonly SessionManager _manager;
    private readonly List<string> _setCookies = [];

    public AuthenticatorTests()
    {
        _users.Add(John, "secret");
        var regulator = new Regulator(new RegulationOptions { Modes = ["user"], MaxRetries = 3, FindTime = TimeSpan.FromMinutes(2), BanTime = TimeSpan.FromMinutes(5) },
            _log, _time, NullLogger<Regulator>.Instance);
        _regulated = new RegulatedCredential(regulator, _time);
        _cache = new BasicCredentialCache(_time, () => _users.Generation);
        _sessions = new InMemorySessionStore(_time);
        _manager = new SessionManager(new SessionCookieSettings("example.com", "portal_session", "lax", "https://auth.example.com", "",
            TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), TimeSpan.FromDays(30)), _sessions, _time, NullLogger<SessionManager>.Instance);
    }

    public void Dispose() => _cache.Dispose();

    private static AuthzRequest Request(string authorization = "", string proxyAuthorization = "", bool basicDemanded = false, string? cookie = null,
        string sessionUsername = "", AuthzProfile? profile = null)
    {
        Assert.True(AccessTarget.TryCreate("https", "app.example.com", "/private", "GET", out var target, out _));
        return new AuthzRequest
        {
            Profile = profile ?? AuthzProfile.ForwardAuth,
            Target = target,
            OriginalUrl = "https://app.example.com/private",
            ClientIp = IPAddress.Parse("192.0.2.7"),
            Authorization = authorization,
            ProxyAuthorization = proxyAuthorization,
            BasicDemanded = basicDemanded,
            Cookies = cookie is null ? [] : [cookie],
            SessionUsername = sessionUsername,
        };
    }

    private static string Basic(string login, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login}:{password}"));

    private BasicAuthenticator BasicFor(AuthnStrategyKind kind, TimeSpan cacheLifespan = default) =>
        new(new AuthnStrategy(kind, cacheLifespan), _users, _regulated, _cache);

    private SessionCookieAuthenticator Cookie() => new(_users, NullLogger<SessionCookieAuthenticator>.Instance);

    private Task<AuthnResult?> RunAsync(IAuthzAuthenticator authenticator, AuthzRequest request) =>
        authenticator.AuthenticateAsync(request, _manager, _setCookies, CancellationToken.None);

    /// <summary>A signed-in session's cookie header.</summary>
    private async Task<string> SignInAsync(UserDetails user)
    {
        var active = await _manager.LoadAsync(null, CancellationToken.None);
        active.Session.SetOneFactorPassword(_time.GetUtcNow(), user, keepMeLoggedIn: false);
        await _manager.RegenerateAsync(active, CancellationToken.None);
        return $"portal_session={active.Id}";
    }

    public static TheoryData<string, bool, bool, bool> HeaderVariants => new()
    {
        // strategy, ?auth=basic, reads Authorization (else Proxy-Authorization), challenge is 407
        { nameof(AuthnStrategyKind.HeaderAuthorization), false, true, false },
        { nameof(AuthnStrategyKind.HeaderProxyAuthorization), false, false, true },
        { nameof(AuthnStrategyKind.HeaderAuthRequestProxyAuthorization), false, false, false },
        { nameof(AuthnStrategyKind.HeaderLegacy), false, false, false },
        { nameof(AuthnStrategyKind.HeaderLegacy), true, true, false },
    };

    [Theory]
    [MemberData(nameof(HeaderVariants))]
    public async Task Each_header_variant_reads_its_header_and_answers_with_its_challenge(string kind, bool basicDemanded, bool readsAuthorization, bool proxyChallenge)
    {
        var basic = BasicFor(Enum.Parse<AuthnStrategyKind>(kind));
        AuthzRequest With(string credentials) => readsAuthorization
            ? Request(authorization: credentials, basicDemanded: basicDemanded)
            : Request(proxyAuthorization: credentials, basicDemanded: basicDemanded);
        AuthzRequest InTheOtherHeader(string credentials) => readsAuthorization
            ? Request(proxyAuthorization: credentials, basicDemanded: basicDemanded)
            : Request(authorization: credentials, basicDemanded: basicDemanded);

        var right = await RunAsync(basic, With(Basic("john", "secret")));
        var wrong = await RunAsync(basic, With(Basic("john", "nope")));
        var elsewhere = await RunAsync(basic, InTheOtherHeader(Basic("john", "secret")));

        Assert.Equal(John, right!.User);
        Assert.True(right.Methods!.UsernameAndPassword);
        Assert.False(right.Methods.WebAuthn);
        Assert.Null(wrong!.User);
        var (status, header) = proxyChallenge ? (407, "Proxy-Authenticate") : (401, "WWW-Authenticate");
        Assert.Equal(status, wrong.Challenge!.Status);
        Assert.Equal([new(header, "Basic realm=\"Authorization Required\"")], wrong.Challenge.Headers);
        Assert.Same(wrong.Challenge, right.Challenge);
        if (basicDemanded)
        {
            // ?auth=basic makes Authorization mandatory: without it, refused rather than handed to the cookie.
            Assert.Null((await RunAsync(basic, Request(basicDemanded: true)))!.User);
        }
        else
        {
            Assert.Null(elsewhere);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("Digest username=\"john\"")]
    public async Task No_basic_credentials_hand_over_to_the_next_strategy(string authorization) =>
        Assert.Null(await RunAsync(BasicFor(AuthnStrategyKind.HeaderAuthorization), Request(authorization: authorization)));

    [Theory]
    [InlineData("Basic !!!")]
    [InlineData("Basic am9obg==")]
    [InlineData("Basic OnNlY3JldA==")]
    public async Task Unreadable_basic_credentials_are_refused_without_counting_a_guess(string authorization)
    {
        var result = await RunAsync(BasicFor(AuthnStrategyKind.HeaderAuthorization), Request(authorization: authorization));

        Assert.Null(result!.User);
        Assert.NotNull(result.Challenge);
        Assert.Empty(_log.Attempts);
    }

    [Fact]
    public async Task Basic_credentials_are_regulated_under_the_canonical_username_and_a_failure_waits_two_seconds()
    {
        var basic = BasicFor(AuthnStrategyKind.HeaderAuthorization);

        Assert.Equal(John, (await RunAsync(basic, Request(authorization: Basic("JOHN", "secret"))))!.User);
        Assert.Null((await RunAsync(basic, Request(authorization: Basic("John", "nope"))))!.User);

        Assert.Equal([(true, "john"), (false, "john")], _log.Attempts.Select(a => (a.Successful, a.Username)));
        Assert.All(_log.Attempts, a => Assert.Equal((AuthenticationTypes.OneFactor, "https://app.example.com/private", "GET"), (a.AuthType, a.RequestUri, a.RequestMethod)));
        Assert.InRange(Assert.Single(_time.Timers), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_remembered_credential_skips_the_hash_and_the_log_until_a_ban()
    {
        var basic = BasicFor(AuthnStrategyKind.HeaderAuthorization, TimeSpan.FromMinutes(1));
        var request = Request(authorization: Basic("john", "secret"));

        await RunAsync(basic, request);
        Assert.Equal(John, (await RunAsync(basic, request))!.User);
        Assert.Equal(1, _users.PasswordChecks);
        Assert.Single(_log.Attempts);

        await _log.AddBanAsync(RegulationSubject.User, "john", _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(5), "test", null);
        Assert.Null((await RunAsync(basic, request))!.User);
        // Hashed even though banned, so that timing does not tell the ban.
        Assert.Equal(2, _users.PasswordChecks);
        Assert.True(_log.Attempts[^1].Banned);
    }

    [Fact]
    public async Task Without_a_cache_lifespan_every_request_is_hashed()
    {
        var basic = BasicFor(AuthnStrategyKind.HeaderAuthorization);
        var request = Request(authorization: Basic("john", "secret"));

        await RunAsync(basic, request);
        await RunAsync(basic, request);

        Assert.Equal(2, _users.PasswordChecks);
        Assert.Equal(2, _log.Attempts.Count);
    }

    [Fact]
    public async Task The_session_cookie_names_its_user_with_what_the_session_proved()
    {
        var cookie = await SignInAsync(John);

        var result = await RunAsync(Cookie(), Request(cookie: cookie));

        Assert.Equal(John, result!.User);
        Assert.True(result.Methods!.UsernameAndPassword);
        Assert.Null(result.Challenge);
        Assert.False(result.StoreUnavailable);
    }

    [Fact]
    public async Task No_session_is_nobody_and_a_stale_cookie_is_expired()
    {
        Assert.Null(await RunAsync(Cookie(), Request()));
        Assert.Empty(_setCookies);

        Assert.Null(await RunAsync(Cookie(), Request(cookie: "portal_session=" + SessionIds.New())));
        Assert.StartsWith("portal_session=;", Assert.Single(_setCookies), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_of_a_user_gone_from_the_users_file_is_destroyed()
    {
        var cookie = await SignInAsync(new UserDetails("gone", "Gone", [], []));

        Assert.Null(await RunAsync(Cookie(), Request(cookie: cookie)));
        Assert.StartsWith("portal_session=;", Assert.Single(_setCookies), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("JOHN", true)]
    [InlineData("harry", false)]
    public async Task Session_username_from_the_proxy_must_match_the_session(string claimed, bool accepted)
    {
        var cookie = await SignInAsync(John);

        var result = await RunAsync(Cookie(), Request(cookie: cookie, sessionUsername: claimed));

        Assert.Equal(accepted ? John : null, result?.User);
        Assert.Equal(accepted, _setCookies.Count == 0);
    }

    [Fact]
    public async Task A_session_store_outage_is_its_own_result()
    {
        var manager = new SessionManager(_manager.Cookie, new FailingSessionStore(), _time, NullLogger<SessionManager>.Instance);

        var result = await Cookie().AuthenticateAsync(Request(cookie: "portal_session=" + SessionIds.New()), manager, _setCookies, CancellationToken.None);

        Assert.Same(AuthnResult.Unavailable, result);
    }

    [Fact]
    public async Task Strategies_run_in_order_and_a_present_credential_decides_alone()
    {
        var authenticators = new AuthzAuthenticators(_users, _regulated, _cache, NullLogger<SessionCookieAuthenticator>.Instance);
        var cookie = await SignInAsync(John);

        // Wrong basic credentials beside a valid session: the header strategy refuses, the cookie is never asked.
        var refused = await authenticators.AuthenticateAsync(Request(authorization: Basic("john", "nope"), cookie: cookie), _manager, _setCookies, CancellationToken.None);
        Assert.Equal((null, 401), (refused.User, refused.Challenge!.Status));

        var bySession = await authenticators.AuthenticateAsync(Request(cookie: cookie), _manager, _setCookies, CancellationToken.None);
        Assert.Equal((John, null), (bySession.User, bySession.Challenge));

        // No strategies given: the profile's defaults (Legacy reads Proxy-Authorization).
        var legacy = await authenticators.AuthenticateAsync(Request(proxyAuthorization: Basic("john", "secret"), profile: AuthzProfile.Legacy), _manager, _setCookies, CancellationToken.None);
        Assert.Equal(John, legacy.User);

        Assert.Same(AuthnResult.Anonymous, await authenticators.AuthenticateAsync(Request(), _manager, _setCookies, CancellationToken.None));
    }

    [Fact]
    public void Each_strategy_list_is_built_once()
    {
        var authenticators = new AuthzAuthenticators(_users, _regulated, _cache, NullLogger<SessionCookieAuthenticator>.Instance);
        IReadOnlyList<AuthnStrategy> strategies = [new(AuthnStrategyKind.HeaderProxyAuthorization), new(AuthnStrategyKind.CookieSession)];

        var built = authenticators.For(strategies);

        Assert.Same(built, authenticators.For(strategies));
        Assert.IsType<BasicAuthenticator>(built[0]);
        Assert.IsType<SessionCookieAuthenticator>(built[1]);
    }

    private sealed class FakeUsers : IUserProvider
    {
        private readonly Dictionary<string, (UserDetails Details, string Password)> _users = new(StringComparer.OrdinalIgnoreCase);
        private int _checks;

        public int PasswordChecks => _checks;

        public long Generation => 1;

        public void Add(UserDetails user, string password) => _users[user.Username] = (user, password);

        public string? ResolveUsername(string login) => GetDetails(login)?.Username;

        public UserDetails? GetDetails(string login) => _users.TryGetValue(login.Trim(), out var user) ? user.Details : null;

        public bool CheckPassword(string login, string password)
        {
            Interlocked.Increment(ref _checks);
            return _users.TryGetValue(login.Trim(), out var user) && user.Password == password;
        }
    }

    private sealed class FailingSessionStore : ISessionStore
    {
        public Task<UserSession?> LoadAsync(string id, CancellationToken cancellationToken) => throw new SessionStoreUnavailableException();

        public Task SaveAsync(string id, UserSession session, TimeSpan ttl, CancellationToken cancellationToken) => throw new SessionStoreUnavailableException();

        public Task<bool> SaveIfUnchangedAsync(string id, UserSession session, TimeSpan ttl, CancellationToken cancellationToken) => throw new SessionStoreUnavailableException();

        public Task DeleteAsync(string id, CancellationToken cancellationToken) => throw new SessionStoreUnavailableException();

        public Task<IReadOnlyList<StoredSession>> ListForUserAsync(string userKey, CancellationToken cancellationToken) => throw new SessionStoreUnavailableException();
    }
}
