using Portal.Tests.Session;
using Portal.Tests.Support;

namespace Portal.Tests.UserSessions;

/// <summary>"Your sessions" with sessions in a real Redis: what several nodes share.</summary>
[Trait("Category", "Integration")]
public sealed class RedisUserSessionsTests : IDisposable
{
    private readonly RedisServerFixture _redis = new();

    public void Dispose() => _redis.Dispose();

    [Fact]
    public async Task A_user_sees_their_sessions_and_ends_the_others_with_sessions_in_redis()
    {
        await using var host = await PortalTestHost.StartAsync(_redis.SessionYaml());
        await UserSessionsScenario.A_user_sees_their_sessions_and_ends_the_others(host);
    }
}
