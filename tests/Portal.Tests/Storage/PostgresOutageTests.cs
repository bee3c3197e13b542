using System.Net;
using Npgsql;
using Portal.Regulation;
using Portal.Storage;
using Portal.WebAuthn;

namespace Portal.Tests.Storage;

/// <summary>
/// PostgreSQL going away and coming back under the stores: every call fails with a
/// <see cref="StorageUnavailableException"/> (Npgsql's exception inside, never outside), and the first call after the
/// server is back is served, without reopening anything.
/// </summary>
[Trait("Category", "Integration")]
[Collection("postgres")]
public sealed class PostgresOutageTests(PostgresServerFixture server)
{
    private static readonly string[] Calls =
    [
        "authentication log", "bans", "credentials", "credential add", "used ceremonies", "passkey offers",
        "one-time code issue", "one-time code consume", "one-time code revoke",
    ];

    [Fact]
    public async Task Every_store_call_fails_as_unavailable_while_the_server_is_down_and_succeeds_as_soon_as_it_is_back()
    {
        using var engine = new PostgresStoreEngine(server);
        // Warm the pool, so the outage breaks connections the pool holds, as it would in a running portal.
        await Task.WhenAll(Calls.Select(c => Call(engine, c, 0)));
        try
        {
            server.Stop();

            foreach (var call in Calls)
            {
                var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => Call(engine, call, 1));
                Assert.StartsWith("storage: the PostgreSQL database '127.0.0.1:", error.Message, StringComparison.Ordinal);
                Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
            }
        }
        finally
        {
            server.Start();
        }

        foreach (var call in Calls)
        {
            await Call(engine, call, 2);
        }
    }

    private static Task Call(PostgresStoreEngine engine, string call, int round)
    {
        var ct = CancellationToken.None;
        var now = engine.Time.GetUtcNow();
        return call switch
        {
            "authentication log" => engine.AuthenticationLog().AppendAsync(now,
                new AuthenticationAttempt(false, false, "john", AuthenticationTypes.OneFactor, IPAddress.Loopback, "https://a/", "POST"), ct),
            "bans" => engine.AuthenticationLog().FindActiveBanAsync(RegulationSubject.User, "john", now, ct),
            "credentials" => engine.Credentials().ListAsync("auth.example.com", "john", ct),
            "credential add" => engine.Credentials().AddAsync(new WebAuthnCredential
            {
                RpId = "auth.example.com", Username = "john", Description = $"Key {round}", Kid = [1, (byte)round], PublicKey = [2],
            }, ct),
            "used ceremonies" => engine.UsedCeremonies().TryConsumeAsync($"state {round}", now, TimeSpan.FromDays(1), ct),
            "passkey offers" => engine.PasskeyOffers().SnoozedUntilAsync("john", ct),
            "one-time code issue" => engine.OneTimeCodes().IssueAsync("john", "192.0.2.1", "use", 8, TimeSpan.FromMinutes(5), ct),
            "one-time code consume" => engine.OneTimeCodes().ConsumeAsync("john", "192.0.2.1", "use", "ABCDEFGH", ct),
            "one-time code revoke" => engine.OneTimeCodes().RevokeAsync(Guid.NewGuid(), "192.0.2.1", ct),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call, null),
        };
    }
}
