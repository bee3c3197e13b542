using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Portal.Tests.Support;
using Portal.Tests.WebAuthn;

namespace Portal.Tests.Session;

/// <summary>
/// Sessions under concurrent load, with the memory store and with a real redis-server: 64 clients hammer
/// forward-auth with one signed-in session while others sign in, pass a second factor and sign out on their own
/// sessions. Every request of the signed-in session is answered 200, nothing is answered 500, no session is lost.
/// (A shared AesGcm in the Redis payload protector once turned this into 500s and then signed the user out.)
/// </summary>
[Trait("Category", "Integration")]
public sealed class ConcurrentSessionTests : IDisposable
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(4);
    private const int HeldSessionClients = 64;

    private readonly RedisServerFixture _redis = new();

    public void Dispose() => _redis.Dispose();

    private string Yaml(bool redis) => PasskeyLoginSupport.PasskeyOn + (redis ? _redis.SessionYaml("2s") + "\n" : "");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_signed_in_session_is_answered_200_by_every_concurrent_request_while_others_sign_in_and_out(bool redis)
    {
        await using var host = await PortalTestHost.StartAsync(Yaml(redis));
        var key = new SoftwareAuthenticator("https://auth.example.com");
        await PasskeyLoginSupport.RegisterAsync(host, "harry", key, "Key");
        var john = await host.LoginAsync("john");

        var failures = new ConcurrentQueue<string>();
        var held = 0;
        var cycles = 0;
        using var stop = new CancellationTokenSource(Duration);

        async Task HoldSessionAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await host.ForwardAuthAsync("https://app.example.com/", cookie: john);
                Interlocked.Increment(ref held);
                if (response.StatusCode != HttpStatusCode.OK || PortalTestHost.Header(response, "Remote-User") != "john")
                {
                    failures.Enqueue($"held session: {(int)response.StatusCode}");
                }
            }
        }

        async Task SignInAndOutAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var bob = await host.LoginAsync("bob");
                using (var signedIn = await host.ForwardAuthAsync("https://app.example.com/", cookie: bob))
                {
                    Expect(signedIn.StatusCode == HttpStatusCode.OK, $"bob signed in: {(int)signedIn.StatusCode}");
                }
                using (var logout = await host.Client.SendAsync(Logout(bob)))
                {
                    Expect(logout.StatusCode == HttpStatusCode.OK, $"bob logout: {(int)logout.StatusCode}");
                }
                using (var signedOut = await host.ForwardAuthAsync("https://app.example.com/", cookie: bob))
                {
                    Expect(signedOut.StatusCode == HttpStatusCode.Found, $"bob signed out: {(int)signedOut.StatusCode}");
                }
                Interlocked.Increment(ref cycles);
            }
        }

        async Task SecondFactorAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var harry = new WebAuthnClient(host);
                await harry.LoginAsync("harry");
                var (status, body) = await harry.SecondFactorAsync(key);
                Expect(status == HttpStatusCode.OK, $"harry second factor: {(int)status} {body}");
                Expect(await harry.ForwardAuthAsync("https://secure.example.com/") == HttpStatusCode.OK, "harry two_factor site");
                Interlocked.Increment(ref cycles);
            }
        }

        void Expect(bool condition, string failure)
        {
            if (!condition)
            {
                failures.Enqueue(failure);
            }
        }

        var workers = Enumerable.Range(0, HeldSessionClients).Select(_ => Task.Run(HoldSessionAsync))
            .Concat(Enumerable.Range(0, 4).Select(_ => Task.Run(SignInAndOutAsync)))
            .Append(Task.Run(SecondFactorAsync))
            .ToList();
        await Task.WhenAll(workers);

        Assert.True(failures.IsEmpty, $"{failures.Count} failures of {held} held-session requests, e.g. {string.Join("; ", failures.Take(5))}");
        Assert.True(held > HeldSessionClients * 5 && cycles > 4, $"too little load to prove anything: {held} requests, {cycles} cycles");
        // The held session is still there afterwards.
        using var after = await host.ForwardAuthAsync("https://app.example.com/", cookie: john);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private static HttpRequestMessage Logout(string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/logout");
        request.Headers.Host = "auth.example.com";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("Cookie", $"authelia_session={cookie}");
        return request;
    }
}
