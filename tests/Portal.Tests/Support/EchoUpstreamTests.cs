using Xunit;

namespace Portal.Tests.Support;

public sealed class EchoUpstreamTests
{
    [Fact]
    public async Task The_echo_upstream_records_what_reached_it()
    {
        await using var upstream = await EchoUpstream.StartAsync();
        using var client = new HttpClient { BaseAddress = upstream.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/app/x?y=1");
        request.Headers.TryAddWithoutValidation("Remote-User", "mallory");
        using var response = await client.SendAsync(request);
        Assert.Equal(EchoUpstream.Marker, response.Headers.GetValues("X-Upstream").Single());
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("/app/x?y=1", seen.PathAndQuery);
        Assert.Equal("mallory", seen.Single("remote-user"));
        Assert.Equal(["Remote-User"], seen.NamesLike("remoteuser"));
    }
}
