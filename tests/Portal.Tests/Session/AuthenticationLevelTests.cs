using Portal.Users;
using Portal.Session;

namespace Portal.Tests.Session;

public sealed class AuthenticationLevelTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly UserDetails Alice = new("alice", "Alice", ["alice@example.com"], ["admins"]);

    public static TheoryData<string, bool, bool, bool, bool, bool, int> Table => new()
    {
        // description, password, webauthn, uv, totp, switch, expected level
        { "nothing", false, false, false, false, false, 0 },
        { "nothing, switch on", false, false, false, false, true, 0 },
        { "password only", true, false, false, false, false, 1 },
        { "password only, switch on", true, false, false, false, true, 1 },
        { "passkey without UV", false, true, false, false, false, 1 },
        { "passkey without UV, switch on", false, true, false, false, true, 1 },
        { "passkey with UV, switch off", false, true, true, false, false, 1 },
        { "passkey with UV, switch on", false, true, true, false, true, 2 },
        { "totp only", false, false, false, true, false, 1 },
        { "password and webauthn", true, true, false, false, false, 2 },
        { "password and webauthn with UV", true, true, true, false, true, 2 },
        { "password and totp", true, false, false, true, false, 2 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Level_follows_the_factor_truth_table(
        string description, bool password, bool webauthn, bool uv, bool totp, bool passkeyUvSwitch, int expected)
    {
        var session = new UserSession { Username = "alice" };
        session.AuthenticationMethods.UsernameAndPassword = password;
        session.AuthenticationMethods.WebAuthn = webauthn;
        session.AuthenticationMethods.WebAuthnUserVerified = uv;
        session.AuthenticationMethods.Totp = totp;

        Assert.True((AuthenticationLevel)expected == AuthenticationLevels.Level(session, passkeyUvSwitch), description);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Session_without_username_is_not_authenticated_whatever_its_flags(bool passkeyUvSwitch)
    {
        var session = new UserSession();
        session.AuthenticationMethods.UsernameAndPassword = true;
        session.AuthenticationMethods.SetWebAuthnAssertion(crossPlatform: true, userPresent: true, userVerified: true);

        Assert.Equal(AuthenticationLevel.NotAuthenticated, session.Level(passkeyUvSwitch));
    }

    [Fact]
    public void User_verified_flag_without_a_webauthn_assertion_never_gives_two_factors()
    {
        var session = new UserSession { Username = "alice" };
        session.AuthenticationMethods.WebAuthnUserVerified = true;

        Assert.Equal(AuthenticationLevel.NotAuthenticated, session.Level(passkeyUvCountsAsTwoFactor: true));
    }

    [Fact]
    public void Passkey_login_with_user_verification_is_two_factors_only_with_the_switch_on()
    {
        var session = new UserSession();
        session.SetOneFactorPasskey(Now, Alice, keepMeLoggedIn: false, crossPlatform: false, userPresent: true, userVerified: true);

        Assert.Equal(AuthenticationLevel.TwoFactor, session.Level(passkeyUvCountsAsTwoFactor: true));
        Assert.Equal(AuthenticationLevel.OneFactor, session.Level(passkeyUvCountsAsTwoFactor: false));
    }

    [Fact]
    public void A_later_assertion_without_user_verification_drops_the_earlier_one()
    {
        var session = new UserSession();
        session.SetOneFactorPasskey(Now, Alice, keepMeLoggedIn: false, crossPlatform: false, userPresent: true, userVerified: true);

        session.SetTwoFactorWebAuthn(Now, crossPlatform: true, userPresent: true, userVerified: false);

        Assert.False(session.AuthenticationMethods.WebAuthnUserVerified);
        Assert.True(session.AuthenticationMethods.WebAuthnHardware);
        Assert.False(session.AuthenticationMethods.WebAuthnSoftware);
        Assert.Equal(AuthenticationLevel.OneFactor, session.Level(passkeyUvCountsAsTwoFactor: true));
    }

    [Fact]
    public void Password_after_a_passkey_login_is_two_factors_without_the_switch()
    {
        var session = new UserSession();
        session.SetOneFactorPasskey(Now, Alice, keepMeLoggedIn: false, crossPlatform: false, userPresent: true, userVerified: false);

        session.SetTwoFactorPassword(Now);

        Assert.Equal(AuthenticationLevel.TwoFactor, session.Level(passkeyUvCountsAsTwoFactor: false));
        Assert.Equal(Now, session.SecondFactorAuthnTimestamp);
    }

    [Fact]
    public void Password_login_records_knowledge_factors_and_user_details()
    {
        var session = new UserSession();

        session.SetOneFactorPassword(Now, Alice, keepMeLoggedIn: true);

        Assert.Equal(AuthenticationLevel.OneFactor, session.Level(passkeyUvCountsAsTwoFactor: true));
        Assert.Equal(["pwd", "kba"], session.AuthenticationMethods.ToAmrValues());
        Assert.Equal("alice", session.Username);
        Assert.Equal(["admins"], session.Groups);
        Assert.True(session.KeepMeLoggedIn);
        Assert.Equal(Now, session.FirstFactorAuthnTimestamp);
    }

    [Fact]
    public void Amr_values_distinguish_a_passkey_from_a_user_verified_passkey()
    {
        var plain = new AuthenticationMethods();
        plain.SetWebAuthnAssertion(crossPlatform: false, userPresent: true, userVerified: false);
        var verified = new AuthenticationMethods();
        verified.SetWebAuthnAssertion(crossPlatform: false, userPresent: true, userVerified: true);

        Assert.Equal(["pop", "swk", "user"], plain.ToAmrValues());
        Assert.Equal(["pop", "swk", "user", "pin"], verified.ToAmrValues());
    }

    [Fact]
    public void Amr_values_include_mfa_only_for_knowledge_plus_possession()
    {
        var amr = new AuthenticationMethods { UsernameAndPassword = true, Totp = true };

        Assert.Equal(["pwd", "otp", "mfa"], amr.ToAmrValues());
    }
}
