using System.Globalization;
using System.Net;
using System.Text.Json;
using Portal.Tests.Session;
using Portal.Tests.Support;
using Portal.Tests.WebAuthn;

namespace Portal.Tests.Storage;

/// <summary>
/// nginx with the shipped <c>deploy/nginx</c> files in front of two portal nodes on one real PostgreSQL and one real
/// Redis, driven only through nginx, with each call made to land on a chosen node (and checked to have landed there):
/// a security key registered across both nodes signs in across both, and PostgreSQL going away and coming back is
/// answered 503 by both nodes, never decides an existing session, and needs no restart of either.
/// </summary>
[Trait("Category", "Integration")]
[Collection("postgres")]
public sealed class TwoNodesBehindNginxStorageTests(PostgresServerFixture server) : IDisposable
{
    private const string ElevationPath = "/api/user/session/elevation";
    private const string RegistrationPath = "/api/secondfactor/webauthn/credential/register";
    private const string AssertionPath = "/api/secondfactor/webauthn";
    private const string CredentialsPath = "/api/secondfactor/webauthn/credentials";

    private readonly RedisServerFixture _redis = new();

    public void Dispose() => _redis.Dispose();

    private Task<NginxCluster> StartClusterAsync(string schemaPrefix) =>
        NginxCluster.StartAsync(_redis.SessionYaml("2s"), server.StorageYaml(PostgresServerFixture.UniqueSchema(schemaPrefix)));

    [Fact]
    public async Task Through_nginx_a_key_registration_begun_on_one_node_finishes_on_the_other_and_the_key_then_signs_in_begun_and_finished_on_different_nodes()
    {
        await using var cluster = await StartClusterAsync("ceremony");
        var key = new SoftwareAuthenticator("https://auth.example.com");
        var browser = new ClusterBrowser(cluster);
        var (signedIn, signedInBody) = await browser.SignInAsync("john");
        Assert.True(signedIn == HttpStatusCode.OK, signedInBody);

        // The emailed code, asked of one node and given to the other.
        using (var asked = await browser.SendAsync(HttpMethod.Post, ElevationPath, on: cluster.A))
        {
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        }
        var code = SmtpPortal.CodeFrom(await cluster.Smtp.WaitForMailAsync("john@example.com"));
        using (var elevated = await browser.SendAsync(HttpMethod.Put, ElevationPath, new { otc = code }, cluster.B))
        {
            Assert.Equal(HttpStatusCode.OK, elevated.StatusCode);
        }

        JsonElement creation;
        using (var begun = await browser.SendAsync(HttpMethod.Put, RegistrationPath, new { description = "YubiKey" }, cluster.A))
        {
            creation = (await ClusterBrowser.DataAsync(begun)).GetProperty("publicKey");
        }
        using (var finished = await browser.SendAsync(HttpMethod.Post, RegistrationPath, key.Create(creation), cluster.B))
        {
            Assert.True(finished.StatusCode == HttpStatusCode.Created, await finished.Content.ReadAsStringAsync());
        }
        foreach (var node in new[] { cluster.A, cluster.B })
        {
            using var listed = await browser.SendAsync(HttpMethod.Get, CredentialsPath, on: node);
            var credential = Assert.Single((await ClusterBrowser.DataAsync(listed)).EnumerateArray());
            Assert.Equal("YubiKey", credential.GetProperty("description").GetString());
        }

        // A later visit: the password on whichever node nginx picks, then the key, asked by B and answered to A.
        var later = new ClusterBrowser(cluster);
        (signedIn, signedInBody) = await later.SignInAsync("john");
        Assert.True(signedIn == HttpStatusCode.OK, signedInBody);
        using (var oneFactor = await later.OpenAsync("https://secure.example.com/"))
        {
            Assert.Equal(HttpStatusCode.Found, oneFactor.StatusCode);
        }
        JsonElement request;
        using (var asked = await later.SendAsync(HttpMethod.Get, AssertionPath, on: cluster.B))
        {
            request = (await ClusterBrowser.DataAsync(asked)).GetProperty("publicKey");
        }
        using (var assertion = JsonDocument.Parse(key.Get(request)))
        using (var answered = await later.SendAsync(HttpMethod.Post, AssertionPath, new { response = assertion.RootElement }, cluster.A))
        {
            Assert.True(answered.StatusCode == HttpStatusCode.OK, await answered.Content.ReadAsStringAsync());
        }
        for (var i = 0; i < 2; i++)
        {
            // Twice: nginx asks each node once.
            using var twoFactor = await later.OpenAsync("https://secure.example.com/");
            Assert.Equal(HttpStatusCode.OK, twoFactor.StatusCode);
            Assert.Equal(EchoUpstream.Marker, PortalTestHost.Header(twoFactor, "X-Upstream"));
            var seen = JsonSerializer.Deserialize<UpstreamRequest>(await twoFactor.Content.ReadAsStringAsync())!;
            Assert.Equal(["john"], seen.Values("Remote-User"));
        }
    }

    [Fact]
    public async Task With_postgres_stopped_both_nodes_behind_nginx_answer_503_for_storage_still_decide_existing_sessions_and_sign_in_again_once_it_is_back()
    {
        await using var cluster = await StartClusterAsync("outage");
        var nodes = new[] { cluster.A, cluster.B };
        // Each node has used the database (its pool holds connections the outage breaks); john keeps his session.
        var john = new ClusterBrowser(cluster);
        var (status, body) = await john.SignInAsync("john", cluster.A);
        Assert.True(status == HttpStatusCode.OK, body);
        (status, body) = await new ClusterBrowser(cluster).SignInAsync("harry", cluster.B);
        Assert.True(status == HttpStatusCode.OK, body);
        using (var askedBefore = await john.SendAsync(HttpMethod.Post, ElevationPath, on: cluster.A))
        {
            Assert.Equal(HttpStatusCode.OK, askedBefore.StatusCode);
        }
        var codeFromBefore = SmtpPortal.CodeFrom(await cluster.Smtp.WaitForMailAsync("john@example.com"));
        var johnsSession = john.Cookie;

        try
        {
            server.Stop();

            foreach (var node in nodes)
            {
                var stranger = new ClusterBrowser(cluster);
                using (var signIn = await stranger.SendAsync(HttpMethod.Post, "/api/firstfactor", new { username = "harry", password = PortalTestHost.Password }, node))
                {
                    await AssertUnavailableAsync(signIn);
                }
                Assert.Null(stranger.Cookie);
                using (var askedForCode = await john.SendAsync(HttpMethod.Post, ElevationPath, on: node))
                {
                    await AssertUnavailableAsync(askedForCode);
                }
                using (var submittedCode = await john.SendAsync(HttpMethod.Put, ElevationPath, new { otc = codeFromBefore }, node))
                {
                    await AssertUnavailableAsync(submittedCode);
                }
                using (var keys = await john.SendAsync(HttpMethod.Get, CredentialsPath, on: node))
                {
                    await AssertUnavailableAsync(keys);
                }
                using (var keyAsked = await john.SendAsync(HttpMethod.Get, AssertionPath, on: node))
                {
                    await AssertUnavailableAsync(keyAsked);
                }
            }
            Assert.Equal(johnsSession, john.Cookie);

            var decided = nodes.Select(n => n.ForwardAuthDecisions).ToArray();
            for (var i = 0; i < 4; i++)
            {
                using var allowed = await john.OpenAsync("https://app.example.com/dashboard");
                Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
                Assert.Equal(EchoUpstream.Marker, PortalTestHost.Header(allowed, "X-Upstream"));
            }
            using (var anonymous = await new ClusterBrowser(cluster).OpenAsync("https://app.example.com/dashboard"))
            {
                Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);
            }
            // Both nodes took some of those decisions, not one node for all.
            Assert.All(nodes.Select((n, i) => (n, i)), x => Assert.True(x.n.ForwardAuthDecisions >= decided[x.i] + 2,
                $"node {x.n.Name} decided {x.n.ForwardAuthDecisions - decided[x.i]} of the 5 forward-auth requests"));
        }
        finally
        {
            server.Start();
        }

        // Neither node restarted: the first storage call each one gets once PostgreSQL is back is served.
        foreach (var node in nodes)
        {
            var returning = new ClusterBrowser(cluster);
            (status, body) = await returning.SignInAsync("harry", node);
            Assert.True(status == HttpStatusCode.OK, $"the first sign-in on node {node.Name} after PostgreSQL came back: {(int)status} {body}");
            using var allowed = await returning.OpenAsync("https://app.example.com/dashboard");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using (var askedForCode = await john.SendAsync(HttpMethod.Post, ElevationPath, on: cluster.B))
        {
            Assert.Equal(HttpStatusCode.OK, askedForCode.StatusCode);
        }
        var code = SmtpPortal.CodeFrom(await cluster.Smtp.WaitForMailAsync("john@example.com"));
        using var elevated = await john.SendAsync(HttpMethod.Put, ElevationPath, new { otc = code }, cluster.A);
        Assert.Equal(HttpStatusCode.OK, elevated.StatusCode);
    }

    [Fact]
    public async Task Nodes_that_made_no_storage_call_while_postgres_was_stopped_serve_their_first_sign_in_once_it_is_back()
    {
        await using var cluster = await StartClusterAsync("idle");
        var nodes = new[] { cluster.A, cluster.B };
        var john = new ClusterBrowser(cluster);
        foreach (var node in nodes)
        {
            // Each node's pool holds a connection to the server about to stop.
            var (signedIn, signedInBody) = await john.SignInAsync("john", node);
            Assert.True(signedIn == HttpStatusCode.OK, signedInBody);
        }

        try
        {
            server.Stop();
            // Only forward-auth during the outage: nothing tells either node that its pooled connections broke.
            for (var i = 0; i < 4; i++)
            {
                using var allowed = await john.OpenAsync("https://app.example.com/dashboard");
                Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            }
        }
        finally
        {
            server.Start();
        }

        foreach (var node in nodes)
        {
            var (status, body) = await new ClusterBrowser(cluster).SignInAsync("harry", node);
            Assert.True(status == HttpStatusCode.OK, $"the first sign-in on node {node.Name} after PostgreSQL came back: {(int)status} {body}");
        }
    }

    /// <summary>The portal's own 503 (a tagged node answered, not nginx), with its storage message and no session cookie.</summary>
    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} on node {NodeTag.Of(response)}: {(int)response.StatusCode} {body}");
        Assert.Contains(Portal.Infrastructure.OutageFilter.StorageUnavailable, body, StringComparison.Ordinal);
        Assert.Null(PortalTestHost.SessionCookie(response));
    }
}
