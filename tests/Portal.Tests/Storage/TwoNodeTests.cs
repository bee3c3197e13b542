using System.Globalization;
using System.Net;
using Portal.Tests.Session;
using Portal.Tests.Support;
using Portal.Tests.WebAuthn;

namespace Portal.Tests.Storage;

/// <summary>
/// Two portal nodes with the same configuration on one real PostgreSQL and one real Redis, as behind a load balancer
/// that sends each request of a browser to either: they behave as one portal.
/// </summary>
[Trait("Category", "Integration")]
[Collection("postgres")]
public sealed class TwoNodeTests(PostgresServerFixture server) : IDisposable
{
    private readonly RedisServerFixture _redis = new();

    public void Dispose() => _redis.Dispose();

    private async Task<(PortalTestHost A, PortalTestHost B)> StartNodesAsync()
    {
        var storage = server.StorageYaml(PostgresServerFixture.UniqueSchema("nodes"));
        var yaml = _redis.SessionYaml("2s") + "\n" + Portal.Tests.Regulation.RegulationHttpTests.Regulation;
        var a = await PortalTestHost.StartAsync(yaml, storage: storage);
        var b = await PortalTestHost.StartAsync(yaml, storage: storage);
        return (a, b);
    }

    [Fact]
    public async Task A_key_registration_begun_on_one_node_finishes_on_the_other_and_the_key_signs_in_on_either()
    {
        var (nodeA, nodeB) = await StartNodesAsync();
        await using var _ = nodeA;
        await using var __ = nodeB;
        var onA = new WebAuthnClient(nodeA);
        var key = new SoftwareAuthenticator(onA.Origin);
        await onA.LoginAsync("john");
        using (var allowed = await nodeB.ForwardAuthAsync("https://app.example.com/", cookie: onA.Cookie))
        {
            Assert.Equal("john", PortalTestHost.Header(allowed, "Remote-User"));
        }
        await onA.ElevateAsync();

        var (begun, options, body) = await onA.BeginRegistrationAsync("YubiKey");
        Assert.True(begun == HttpStatusCode.OK, body);
        var (finished, finishedBody) = await onA.OnNode(nodeB).CompleteRegistrationAsync(key.Create(options!.Value));
        Assert.True(finished == HttpStatusCode.Created, finishedBody);
        Assert.Single(await onA.ListAsync());

        var onB = onA.OnNode(nodeB);
        var (asked, assertion, askedBody) = await onB.BeginAssertionAsync();
        Assert.True(asked == HttpStatusCode.OK, askedBody);
        var (signedIn, signedInBody) = await onB.OnNode(nodeA).CompleteAssertionAsync(key.Get(assertion!.Value));
        Assert.True(signedIn == HttpStatusCode.OK, signedInBody);
    }

    [Fact]
    public async Task Racing_completions_of_one_ceremony_on_both_nodes_let_exactly_one_through()
    {
        var (nodeA, nodeB) = await StartNodesAsync();
        await using var _ = nodeA;
        await using var __ = nodeB;
        var onA = new WebAuthnClient(nodeA);
        var key = new SoftwareAuthenticator(onA.Origin);
        await onA.LoginAsync("john");
        await onA.ElevateAsync();
        var (begun, options, body) = await onA.BeginRegistrationAsync("YubiKey");
        Assert.True(begun == HttpStatusCode.OK, body);
        var credential = key.Create(options!.Value);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? onA : onA.OnNode(nodeB)).CompleteRegistrationAsync(credential)));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.BadRequest, a.Status));
        Assert.Single(await onA.ListAsync());
    }

    [Fact]
    public async Task Failures_on_either_node_count_toward_one_ban_that_both_nodes_enforce()
    {
        var (nodeA, nodeB) = await StartNodesAsync();
        await using var _ = nodeA;
        await using var __ = nodeB;

        // max_retries 3: two failures on one node and one on the other make the ban.
        await Portal.Tests.Regulation.RegulationHttpTests.FailAsync(nodeA, "john", 2);
        await Portal.Tests.Regulation.RegulationHttpTests.FailAsync(nodeB, "john", 1);

        Assert.Equal(HttpStatusCode.Unauthorized, await Portal.Tests.Regulation.RegulationHttpTests.LoginStatusAsync(nodeA, "john", PortalTestHost.Password));
        Assert.Equal(HttpStatusCode.Unauthorized, await Portal.Tests.Regulation.RegulationHttpTests.LoginStatusAsync(nodeB, "john", PortalTestHost.Password));
        Assert.Equal(HttpStatusCode.OK, await Portal.Tests.Regulation.RegulationHttpTests.LoginStatusAsync(nodeB, "harry", PortalTestHost.Password));
    }
}
