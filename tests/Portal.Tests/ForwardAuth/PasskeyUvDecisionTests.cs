using Portal.AccessControl;
using Portal.ForwardAuth;
using Portal.Session;

namespace Portal.Tests.ForwardAuth;

/// <summary>The shared decision function (<see cref="AuthzDecision"/>) on the per-rule passkey setting, without HTTP.</summary>
public sealed class PasskeyUvDecisionTests
{
    private static AccessDecision TwoFactorRule(PasskeyUvTwoFactor setting) => new(Policy.TwoFactor, 1, false, false, setting);

    private static AuthenticationMethods Passkey(bool userVerified, bool crossPlatform = false)
    {
        var amr = new AuthenticationMethods();
        amr.SetWebAuthnAssertion(crossPlatform, userPresent: true, userVerified);
        return amr;
    }

    private static AuthenticationMethods WithPassword(AuthenticationMethods amr)
    {
        amr.UsernameAndPassword = true;
        amr.KnowledgeBasedAuthentication = true;
        return amr;
    }

    /// <summary>Settings spelled as in YAML (null: absent), since the enum is internal.</summary>
    public static TheoryData<bool, string?, bool> EverySwitch()
    {
        var data = new TheoryData<bool, string?, bool>();
        foreach (var global in new[] { false, true })
        {
            foreach (var setting in new[] { "allow", "deny", null })
            {
                foreach (var crossPlatform in new[] { false, true })
                {
                    data.Add(global, setting, crossPlatform);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EverySwitch))]
    public void A_passkey_without_user_verification_never_yields_two_factors(bool global, string? setting, bool crossPlatform)
    {
        var rule = TwoFactorRule(PasskeyUvTwoFactorNames.Parse(setting));
        Assert.Equal(AuthenticationLevel.OneFactor, AuthzDecision.LevelUnder(rule, Passkey(userVerified: false, crossPlatform), global));
        Assert.Equal(AuthzOutcome.Unauthorized, AuthzDecision.Evaluate(rule, Passkey(userVerified: false, crossPlatform), global));
    }

    [Fact]
    public void A_later_assertion_without_user_verification_drops_the_two_factors_of_an_earlier_one()
    {
        var amr = Passkey(userVerified: true);
        amr.SetWebAuthnAssertion(crossPlatform: false, userPresent: true, userVerified: false);
        Assert.Equal(AuthzOutcome.Unauthorized, AuthzDecision.Evaluate(TwoFactorRule(PasskeyUvTwoFactor.Allow), amr, globalPasskeyUvSwitch: true));
    }

    [Fact]
    public void Deny_refuses_a_user_verified_passkey_even_with_the_global_switch_on()
    {
        var rule = TwoFactorRule(PasskeyUvTwoFactor.Deny);
        Assert.Equal(AuthzOutcome.Unauthorized, AuthzDecision.Evaluate(rule, Passkey(userVerified: true), globalPasskeyUvSwitch: true));
        Assert.Equal(AuthzOutcome.Unauthorized, AuthzDecision.Evaluate(rule, Passkey(userVerified: true, crossPlatform: true), globalPasskeyUvSwitch: true));
    }

    [Fact]
    public void Deny_accepts_something_known_plus_something_held()
    {
        var rule = TwoFactorRule(PasskeyUvTwoFactor.Deny);
        Assert.Equal(AuthzOutcome.Authorized, AuthzDecision.Evaluate(rule, WithPassword(Passkey(userVerified: true)), globalPasskeyUvSwitch: true));
        Assert.Equal(AuthzOutcome.Authorized, AuthzDecision.Evaluate(rule, WithPassword(Passkey(userVerified: false, crossPlatform: true)), globalPasskeyUvSwitch: true));
        Assert.Equal(AuthzOutcome.Authorized, AuthzDecision.Evaluate(rule, WithPassword(new AuthenticationMethods { Totp = true }), globalPasskeyUvSwitch: true));
    }

    [Fact]
    public void Allow_accepts_a_user_verified_passkey_with_the_global_switch_off()
    {
        Assert.Equal(AuthzOutcome.Authorized, AuthzDecision.Evaluate(TwoFactorRule(PasskeyUvTwoFactor.Allow), Passkey(userVerified: true), globalPasskeyUvSwitch: false));
        Assert.Equal(AuthzOutcome.Unauthorized, AuthzDecision.Evaluate(TwoFactorRule(PasskeyUvTwoFactor.Global), Passkey(userVerified: true), globalPasskeyUvSwitch: false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Without_a_rule_setting_the_decision_and_the_ruleless_level_follow_the_global_switch(bool global)
    {
        // default_policy carries no setting; /api/state has no rule at all: both must follow the switch.
        var defaultPolicy = new AccessDecision(Policy.TwoFactor, null, false, false);
        var expected = global ? AuthenticationLevel.TwoFactor : AuthenticationLevel.OneFactor;
        Assert.Equal(expected, AuthzDecision.LevelUnder(defaultPolicy, Passkey(userVerified: true), global));
        var session = new UserSession { Username = "john", AuthenticationMethods = Passkey(userVerified: true) };
        Assert.Equal(expected, AuthenticationLevels.Level(session, global));
    }

    [Theory]
    [InlineData("one_factor", "Unauthorized")]
    [InlineData("two_factor", "Unauthorized")]
    [InlineData("bypass", "Authorized")]
    [InlineData("deny", "Forbidden")]
    public void An_anonymous_user_is_unaffected_by_the_setting(string policy, string expected) =>
        Assert.Equal(Enum.Parse<AuthzOutcome>(expected),
            AuthzDecision.Evaluate(new AccessDecision(PolicyNames.Parse(policy), 1, false, false, PasskeyUvTwoFactor.Allow), null, globalPasskeyUvSwitch: true));

    [Fact]
    public void A_passkey_alone_passes_one_factor_whatever_its_user_verification() =>
        Assert.Equal(AuthzOutcome.Authorized, AuthzDecision.Evaluate(new AccessDecision(Policy.OneFactor, 1, false, false), Passkey(userVerified: false), globalPasskeyUvSwitch: false));
}
