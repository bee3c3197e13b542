using System.Net;
using Portal.AccessControl;
using Portal.Configuration;
using Portal.Tests.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.AccessControl;

/// <summary>
/// An access_control file in Authelia's documented form, loaded through the real YAML loader unchanged, gives the
/// decisions the reference describes (first match, each criterion, the anonymous potential match).
/// </summary>
public sealed class AutheliaDocsConfigTests
{
    private static readonly Lazy<AccessControlEngine> Engine = new(() =>
    {
        var result = LoadDocumentedFile();
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Errors));
        return AccessControlEngine.Compile(result.Options.AccessControl, result.Options.Definitions);
    });

    /// <summary>The minimal configuration without its access_control, then <c>TestData/authelia-access-control.yml</c> as a second file.</summary>
    internal static ConfigLoadResult LoadDocumentedFile()
    {
        using var dir = new TempDirectory();
        var baseFile = dir.Write("base.yml", ConfigLoaderTests.MinimalYaml.Replace("access_control:\n  default_policy: one_factor\n", "", StringComparison.Ordinal));
        return ConfigLoader.Load([baseFile, Path.Combine(AppContext.BaseDirectory, "TestData", "authelia-access-control.yml")]);
    }

    private static AccessDecision Decide(string url, string? user = null, string[]? groups = null, string ip = "203.0.113.7", string method = "GET")
    {
        Assert.True(AccessTarget.TryCreate(url, method, out var target, out var error), error);
        return Engine.Value.Decide(new Subject(user, groups ?? [], IPAddress.Parse(ip)), target);
    }

    [Fact]
    public void The_documented_file_loads_without_errors() => Assert.Equal(19, Engine.Value.RuleCount);

    [Fact]
    public void Bypass_applies_to_everyone() => Assert.Equal(new AccessDecision(Policy.Bypass, 1, false, false), Decide("https://public.example.com/x"));

    [Fact]
    public void A_user_named_regex_group_matches_only_that_user()
    {
        Assert.Equal(Policy.OneFactor, Decide("https://john.example.com/", "john").Policy);
        Assert.Equal(2, Decide("https://john.example.com/", "john").Rule);
        // Harry is not john: rule 2 fails on the User group and a later rule decides.
        Assert.NotEqual(2, Decide("https://john.example.com/", "harry", ["dev"]).Rule);
    }

    [Fact]
    public void Anonymous_users_potentially_match_subject_regexes()
    {
        var decision = Decide("https://john.example.com/");
        Assert.Equal(2, decision.Rule);
        Assert.True(decision.Potential);
    }

    [Fact]
    public void A_group_named_regex_group_needs_membership()
    {
        Assert.Equal(3, Decide("https://dev.groups.example.com/", "harry", ["dev"]).Rule);
        Assert.NotEqual(3, Decide("https://ops.groups.example.com/", "harry", ["dev"]).Rule);
    }

    [Theory]
    [InlineData("https://x.api.example.com/?secure=1", 5)]
    [InlineData("https://x.api.example.com/?secure=1&insecure=1", null)]
    [InlineData("https://x.api.example.com/?token=xyz", 5)]
    [InlineData("https://x.api.example.com/?token=xyzz", null)]
    public void Query_criteria_are_or_of_and(string url, int? expectedRule)
    {
        var rule = Decide(url, "bob").Rule;
        if (expectedRule is { } r)
        {
            Assert.Equal(r, rule);
        }
        else
        {
            Assert.NotEqual(5, rule);
        }
    }

    [Theory]
    [InlineData("10.10.3.4")]
    [InlineData("10.9.0.1")]
    [InlineData("192.168.1.20")]
    [InlineData("10.0.0.1")]
    public void Named_legacy_and_literal_networks_select_the_one_factor_rule(string ip) =>
        Assert.Equal(new AccessDecision(Policy.OneFactor, 6, false, false), Decide("https://secure.example.com/", "bob", ip: ip));

    [Fact]
    public void Outside_those_networks_the_next_rule_wants_two_factors() =>
        Assert.Equal(new AccessDecision(Policy.TwoFactor, 7, false, false), Decide("https://secure.example.com/", "bob", ip: "203.0.113.9"));

    [Fact]
    public void First_match_wins_a_deny_for_admins_before_their_wildcard_two_factor()
    {
        Assert.Equal(Policy.Deny, Decide("https://mx2.mail.example.com/", "john", ["admins"]).Policy);
        Assert.Equal(new AccessDecision(Policy.TwoFactor, 10, false, true), Decide("https://mx1.mail.example.com/", "john", ["admins"]));
    }

    [Fact]
    public void An_anonymous_user_on_a_deny_rule_with_a_subject_is_a_potential_match_not_a_403()
    {
        var decision = Decide("https://mx2.mail.example.com/");
        Assert.Equal(Policy.Deny, decision.Policy);
        Assert.True(decision.Potential);
    }

    [Theory]
    [InlineData("https://dev.example.com/users/john/profile", "john", 12)]
    [InlineData("https://dev.example.com/users/harry/profile", "harry", 13)]
    [InlineData("https://dev.example.com/users/bob/profile", "bob", 15)]
    public void Resources_and_user_subjects_pick_each_users_rule(string url, string user, int rule) =>
        Assert.Equal(rule, Decide(url, user).Rule);

    [Fact]
    public void A_user_without_a_matching_rule_falls_to_the_default_deny() =>
        Assert.Equal(new AccessDecision(Policy.Deny, null, false, false), Decide("https://dev.example.com/users/john/profile", "harry"));

    [Theory]
    [InlineData("OPTIONS", "bypass")]
    [InlineData("GET", "one_factor")]
    [InlineData("HEAD", "one_factor")]
    [InlineData("POST", "two_factor")]
    public void Methods_select_rules(string method, string policy) =>
        Assert.Equal(policy, PolicyNames.Format(Decide("https://api.example.com/", "harry", method: method).Policy));

    [Fact]
    public void The_user_placeholder_domain_matches_the_users_own_subdomain()
    {
        Assert.Equal(19, Decide("https://harry.home.example.com/", "harry").Rule);
        Assert.Null(Decide("https://john.home.example.com/", "harry").Rule);
    }
}
