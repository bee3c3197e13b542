using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.Regulation;

/// <summary>
/// Regulation through <c>/api/firstfactor</c> and the authz endpoints' basic credentials (authelia-behaviour §7.1,
/// peers-and-security §4b.6/§4b.7), on a manual clock: max_retries 3, find_time 2m, ban_time 5m. Each test has its
/// own portal so bans never leak between tests.
/// </summary>
[Trait("Category", "Integration")] // every failed sign-in waits out the real failure delay
public sealed class RegulationHttpTests
{
    internal const string Regulation = """
        regulation:
          max_retries: 3
          find_time: 2m
          ban_time: 5m
        """;

    internal static async Task<HttpResponseMessage> LoginAsync(PortalTestHost host, string username, string password, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/firstfactor")
        {
            Content = PortalTestHost.JsonBody(new { username, password }),
        };
        request.Headers.Host = "auth.example.com";
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return await host.Client.SendAsync(request);
    }

    internal static async Task<HttpStatusCode> LoginStatusAsync(PortalTestHost host, string username, string password, string? forwardedFor = null)
    {
        using var response = await LoginAsync(host, username, password, forwardedFor);
        return response.StatusCode;
    }

    internal static async Task FailAsync(PortalTestHost host, string username, int times = 1, string? forwardedFor = null)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(host, username, "wrong-password", forwardedFor));
        }
    }

    [Fact]
    public async Task Max_retries_failures_within_find_time_ban_the_user_until_ban_time_has_passed()
    {
        await using var host = await PortalTestHost.StartAsync(Regulation, manualClock: true);

        await FailAsync(host, "bob", 2);
        host.Time!.Advance(TimeSpan.FromMinutes(1));
        await FailAsync(host, "bob");

        Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(host, "bob", PortalTestHost.Password));
        host.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(host, "bob", PortalTestHost.Password));
        host.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(host, "bob", PortalTestHost.Password));
    }

    [Fact]
    public async Task Failures_further_apart_than_find_time_or_interrupted_by_a_success_do_not_ban()
    {
        await using var host = await PortalTestHost.StartAsync(Regulation, manualClock: true);

        await FailAsync(host, "harry", 2);
        host.Time!.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        await FailAsync(host, "harry");
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(host, "harry", PortalTestHost.Password));

        await FailAsync(host, "john", 2);
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(host, "john", PortalTestHost.Password));
        await FailAsync(host, "john", 2);
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(host, "john", PortalTestHost.Password));
    }

    [Fact]
    public async Task Case_space_and_email_spellings_of_a_username_share_one_ban()
    {
        // CVE-2025-24806 (email vs username) and CVE-2026-47203 (case): one canonical bucket per user.
        await using var host = await PortalTestHost.StartAsync(Regulation + """

            authentication_backend:
              file:
                search:
                  email: true
            """, manualClock: true);

        await FailAsync(host, "John");
        await FailAsync(host, " john ");
        await FailAsync(host, "JD@Example.org");

        Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(host, "john", PortalTestHost.Password));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(host, "john@example.com", PortalTestHost.Password));
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(host, "harry", PortalTestHost.Password));
    }

    [Fact]
    public async Task Ip_mode_bans_the_address_a_trusted_proxy_reports()
    {
        await using var host = await PortalTestHost.StartAsync(Regulation + """

              modes: ['ip']
            """, manualClock: true);

        for (var i = 1; i <= 3; i++)
        {
            await FailAsync(host, $"nobody{i}", forwardedFor: "203.0.113.1");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(host, "john", PortalTestHost.Password, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(host, "john", PortalTestHost.Password, "203.0.113.2"));
    }

    [Fact]
    public async Task Ip_mode_ignores_x_forwarded_for_from_an_untrusted_peer_so_rotating_it_evades_nothing()
    {
        await using var host = await PortalTestHost.StartAsync(Regulation + """

              modes: ['ip']
            server:
              trusted_proxies: ['10.0.0.0/8']
            """, manualClock: true);

        for (var i = 1; i <= 3; i++)
        {
            await FailAsync(host, $"nobody{i}", forwardedFor: $"203.0.113.{i}");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(host, "john", PortalTestHost.Password, "203.0.113.99"));
    }
}

/// <summary>
/// Guesses sent at the same moment: ban check, password check and record run one after another per user and IP, so
/// no more than max_retries passwords are ever checked before the ban (32 parallel guesses once had 5 checked).
/// </summary>
[Trait("Category", "Integration")] // every failed sign-in waits out the real failure delay
public sealed class ParallelGuessTests
{
    [Fact]
    public async Task Parallel_wrong_passwords_get_no_more_than_max_retries_checked_before_the_ban()
    {
        await using var host = await PortalTestHost.StartAsync(RegulationHttpTests.Regulation);
        var guesses = Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            using var response = await RegulationHttpTests.LoginAsync(host, "john", $"wrong-{i}");
            return response.StatusCode;
        }));
        Assert.All(await Task.WhenAll(guesses), status => Assert.Equal(HttpStatusCode.Unauthorized, status));

        var store = host.App.Services.GetRequiredService<Portal.Regulation.IAuthenticationLogStore>();
        var attempts = await store.ReadRecentAttemptsAsync(Portal.Regulation.RegulationSubject.User, "john", DateTimeOffset.MinValue,
            Portal.Regulation.AuthenticationTypes.All, failuresOnly: false, limit: 1000);
        Assert.Equal(3, attempts.Count(a => !a.Banned));
        Assert.Equal(0, host.App.Services.GetRequiredService<Portal.Regulation.Regulator>().HeldKeys);
    }

    [Fact]
    public async Task Parallel_basic_credentials_with_wrong_passwords_get_no_more_than_max_retries_checked()
    {
        await using var host = await PortalTestHost.StartAsync(RegulationHttpTests.Regulation);
        var guesses = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            using var response = await host.ForwardAuthAsync("https://app.example.com/",
                tweak: r => r.Headers.Add("Authorization", PortalTestHost.BasicAuth("bob", $"wrong-{i}")));
            return response.StatusCode;
        }));
        Assert.All(await Task.WhenAll(guesses), status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        var store = host.App.Services.GetRequiredService<Portal.Regulation.IAuthenticationLogStore>();
        var attempts = await store.ReadRecentAttemptsAsync(Portal.Regulation.RegulationSubject.User, "bob", DateTimeOffset.MinValue,
            Portal.Regulation.AuthenticationTypes.All, failuresOnly: false, limit: 1000);
        Assert.Equal(3, attempts.Count(a => !a.Banned));
    }
}

/// <summary>Basic credentials on the authz endpoints are regulated with the login form, and answer alike when refused.</summary>
[Trait("Category", "Integration")] // waits out the real 2 s basic-auth failure delay
public sealed class RegulationBasicAuthHttpTests
{
    private static Task<HttpResponseMessage> BasicAsync(PortalTestHost host, string username, string password) =>
        host.ForwardAuthAsync("https://app.example.com/", tweak: r => r.Headers.Add("Authorization", PortalTestHost.BasicAuth(username, password)));

    [Fact]
    public async Task Basic_credential_failures_and_login_failures_count_toward_one_ban()
    {
        await using var host = await PortalTestHost.StartAsync(RegulationHttpTests.Regulation, manualClock: true);

        // Spelled three ways (the basic-auth case CVE): each 2 s failure delay runs concurrently.
        var failures = await Task.WhenAll(BasicAsync(host, "BOB", "wrong"), BasicAsync(host, " bob", "wrong"), BasicAsync(host, "Bob", "wrong"));
        Assert.All(failures, f => Assert.Equal(HttpStatusCode.Unauthorized, f.StatusCode));
        Assert.Equal(HttpStatusCode.Unauthorized, await RegulationHttpTests.LoginStatusAsync(host, "bob", PortalTestHost.Password));

        await RegulationHttpTests.FailAsync(host, "john", 3);
        using var banned = await BasicAsync(host, "john", PortalTestHost.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, banned.StatusCode);
        Assert.Equal("Basic realm=\"Authorization Required\"", PortalTestHost.Header(banned, "WWW-Authenticate"));
        Assert.Null(PortalTestHost.Header(banned, "Remote-User"));

        host.Time!.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        using var later = await BasicAsync(host, "john", PortalTestHost.Password);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task Cached_basic_credentials_stop_working_once_the_user_is_banned()
    {
        await using var host = await PortalTestHost.StartAsync(ForwardAuth.AuthzMatrixFixture.CachedEndpoints + RegulationHttpTests.Regulation, manualClock: true);
        using (var first = await BasicAsync(host, "john", PortalTestHost.Password))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        await RegulationHttpTests.FailAsync(host, "john", 3);
        using var banned = await BasicAsync(host, "john", PortalTestHost.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, banned.StatusCode);
        Assert.Null(PortalTestHost.Header(banned, "Remote-User"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_changed_users_file_takes_effect_on_cached_basic_credentials_at_once(bool disable)
    {
        await using var host = await PortalTestHost.StartAsync(ForwardAuth.AuthzMatrixFixture.CachedEndpoints);
        using (var first = await BasicAsync(host, "john", PortalTestHost.Password))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        var users = File.ReadAllText(Path.Combine(host.DirectoryPath, "users.yml"));
        var johnsPassword = users.IndexOf("password: ", StringComparison.Ordinal);
        var lineEnd = users.IndexOf('\n', johnsPassword);
        var newHash = new Portal.Crypto.PasswordHasher(new Portal.Crypto.Argon2Parameters(Portal.Crypto.Argon2Variant.Argon2id, 1, 64, 1, 32, 16)).Hash("a-new-password");
        var changed = users[..johnsPassword] + (disable ? $"password: '{newHash}'\n    disabled: true" : $"password: '{newHash}'") + users[lineEnd..];
        File.WriteAllText(Path.Combine(host.DirectoryPath, "users.yml"), changed);
        var provider = (Portal.Users.FileUserProvider)host.App.Services.GetRequiredService<Portal.Users.IUserProvider>();
        Assert.Empty(provider.Reload());

        using var old = await BasicAsync(host, "john", PortalTestHost.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        using var renewed = await BasicAsync(host, "john", "a-new-password");
        Assert.Equal(disable ? HttpStatusCode.Unauthorized : HttpStatusCode.OK, renewed.StatusCode);
    }

    [Fact]
    public async Task Unknown_wrong_password_banned_and_disabled_users_get_the_same_answer()
    {
        await using var host = await PortalTestHost.StartAsync(RegulationHttpTests.Regulation, manualClock: true);
        await RegulationHttpTests.FailAsync(host, "bob", 3);

        (string User, string Password)[] refusals = [("nobody", PortalTestHost.Password), ("john", "wrong"), ("bob", PortalTestHost.Password), ("james", PortalTestHost.Password)];

        var answers = new List<string>();
        foreach (var (user, password) in refusals)
        {
            using var response = await RegulationHttpTests.LoginAsync(host, user, password);
            answers.Add(await DescribeAsync(response));
        }
        Assert.Equal("""401 application/json; charset=utf-8 {"status":"KO","message":"Authentication failed. Check your credentials."} [cache-control,pragma]""", answers[0]);
        Assert.All(answers, a => Assert.Equal(answers[0], a));

        var basic = await Task.WhenAll(refusals.Select(r => BasicAsync(host, r.User, r.Password)));
        var basicAnswers = new List<string>();
        foreach (var response in basic)
        {
            basicAnswers.Add(await DescribeAsync(response) + " " + PortalTestHost.Header(response, "WWW-Authenticate"));
            response.Dispose();
        }
        Assert.All(basicAnswers, a => Assert.Equal(basicAnswers[0], a));
        Assert.StartsWith("401 text/plain", basicAnswers[0], StringComparison.Ordinal);
    }

    /// <summary>Status, content type, body and the names of the response headers that are not about transport or security policy.</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response)
    {
        var ignored = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Date", "Content-Length", "Transfer-Encoding", "Content-Type", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Permissions-Policy",
            "X-DNS-Prefetch-Control", "Content-Security-Policy", "WWW-Authenticate",
        };
        var names = response.Headers.Concat(response.Content.Headers).Select(h => h.Key.ToLowerInvariant()).Where(n => !ignored.Contains(n)).Order();
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType} {await response.Content.ReadAsStringAsync()} [{string.Join(',', names)}]";
    }
}
