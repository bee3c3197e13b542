using Portal.Users;
using Portal.Configuration;
using Portal.Elevation;
using Portal.Session;
using Xunit;

namespace Portal.Tests.Elevation;

public sealed class ElevationRequirementTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static UserSession LoggedIn()
    {
        var session = UserSession.NewAnonymous("example.com", Now);
        session.SetOneFactorPassword(Now, new UserDetails("john", "John", ["john@example.com"], []), false);
        return session;
    }

    private static ElevationRefusal? Check(
        UserSession session, AuthenticationLevel level, ElevatedSessionOptions? options = null,
        bool hasSecondFactor = false, string ip = "192.0.2.1", DateTimeOffset? now = null) =>
        ElevationRequirement.Check(session, level, options ?? new ElevatedSessionOptions(), hasSecondFactor, now ?? Now, ip);

    [Fact]
    public void An_anonymous_session_is_told_to_log_in_first() =>
        Assert.Equal(ElevationRefusal.NeedsFirstFactor,
            Check(UserSession.NewAnonymous("example.com", Now), AuthenticationLevel.NotAuthenticated));

    [Fact]
    public void A_logged_in_session_without_a_verified_code_needs_elevation() =>
        Assert.Equal(ElevationRefusal.NeedsElevation, Check(LoggedIn(), AuthenticationLevel.OneFactor));

    [Fact]
    public void A_verified_code_from_the_same_ip_within_its_lifespan_is_enough()
    {
        var session = LoggedIn();
        session.Elevation = new SessionElevation { Id = "e1", RemoteIp = "192.0.2.1", Expires = Now.AddMinutes(10) };
        Assert.Null(Check(session, AuthenticationLevel.OneFactor));
    }

    [Fact]
    public void An_elevation_used_from_another_ip_is_refused_and_forgotten()
    {
        var session = LoggedIn();
        session.Elevation = new SessionElevation { Id = "e1", RemoteIp = "192.0.2.1", Expires = Now.AddMinutes(10) };
        Assert.Equal(ElevationRefusal.NeedsElevation, Check(session, AuthenticationLevel.OneFactor, ip: "192.0.2.99"));
        Assert.Null(session.Elevation);
        Assert.Equal(ElevationRefusal.NeedsElevation, Check(session, AuthenticationLevel.OneFactor));
    }

    [Fact]
    public void An_expired_elevation_is_refused_and_forgotten()
    {
        var session = LoggedIn();
        session.Elevation = new SessionElevation { Id = "e1", RemoteIp = "192.0.2.1", Expires = Now.AddMinutes(10) };
        Assert.Equal(ElevationRefusal.NeedsElevation, Check(session, AuthenticationLevel.OneFactor, now: Now.AddMinutes(10)));
        Assert.Null(session.Elevation);
    }

    [Fact]
    public void Skip_second_factor_lets_a_two_factor_session_through_without_a_code() =>
        Assert.Null(Check(LoggedIn(), AuthenticationLevel.TwoFactor, new ElevatedSessionOptions { SkipSecondFactor = true }));

    [Fact]
    public void Skip_second_factor_does_not_help_a_one_factor_session() =>
        Assert.Equal(ElevationRefusal.NeedsElevation,
            Check(LoggedIn(), AuthenticationLevel.OneFactor, new ElevatedSessionOptions { SkipSecondFactor = true }));

    [Fact]
    public void Require_second_factor_asks_for_it_when_the_user_has_a_second_factor_registered() =>
        Assert.Equal(ElevationRefusal.NeedsSecondFactor,
            Check(LoggedIn(), AuthenticationLevel.OneFactor, new ElevatedSessionOptions { RequireSecondFactor = true }, hasSecondFactor: true));

    [Fact]
    public void Require_second_factor_falls_back_to_the_code_when_the_user_has_no_second_factor_yet() =>
        Assert.Equal(ElevationRefusal.NeedsElevation,
            Check(LoggedIn(), AuthenticationLevel.OneFactor, new ElevatedSessionOptions { RequireSecondFactor = true }, hasSecondFactor: false));
}
