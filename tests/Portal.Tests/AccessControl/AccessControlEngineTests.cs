using System.Net;
using Portal.AccessControl;
using Portal.Configuration;
using static Portal.Tests.AccessControl.AclTestData;

namespace Portal.Tests.AccessControl;

public sealed class AccessControlEngineTests
{
    [Fact]
    public void No_matching_rule_applies_default_policy_with_null_rule()
    {
        var engine = Engine("one_factor", Rule("deny", "other.example.com"));
        Assert.Equal(new AccessDecision(Policy.OneFactor, null, false, false), engine.Decide(User("john"), Target("https://app.example.com/")));
    }

    [Fact]
    public void First_matching_rule_wins_even_when_a_later_one_is_more_specific()
    {
        var engine = Engine("deny", Rule("one_factor", "*.example.com"), Rule("two_factor", "app.example.com"));
        var d = engine.Decide(User("john"), Target("https://app.example.com/"));
        Assert.Equal(Policy.OneFactor, d.Policy);
        Assert.Equal(1, d.Rule);
    }

    [Fact]
    public void Later_rule_applies_when_earlier_rule_fails_one_criterion()
    {
        var engine = Engine("deny",
            new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "bypass", Methods = ["HEAD"] },
            Rule("two_factor", "app.example.com"));
        Assert.Equal(2, engine.Decide(User("john"), Target("https://app.example.com/")).Rule);
        Assert.Equal(1, engine.Decide(User("john"), Target("https://app.example.com/", "HEAD")).Rule);
    }

    [Theory]
    [InlineData("https://app.example.com/", 1)]
    [InlineData("https://APP.Example.com./", 1)]
    [InlineData("https://x.example.com/", 2)]
    [InlineData("https://a.b.c.example.com/", 2)]
    [InlineData("https://example.com/", null)]
    [InlineData("https://badexample.com/", null)]
    [InlineData("https://example.com.evil.com/", null)]
    public void Domain_exact_and_wildcard_at_any_depth_but_not_the_apex(string url, int? rule)
    {
        var engine = Engine("deny", Rule("one_factor", "App.Example.com"), Rule("two_factor", "*.example.com"));
        Assert.Equal(rule, engine.Decide(User("john"), Target(url)).Rule);
    }

    [Fact]
    public void Wildcard_rule_cannot_be_dodged_by_upper_case_host()
    {
        // CVE-2026-48794: a.B.example.com skipped a stricter wildcard rule.
        var engine = Engine("bypass", Rule("two_factor", "*.b.example.com"));
        Assert.Equal(Policy.TwoFactor, engine.Decide(User("john"), Target("https://a.B.example.com/")).Policy);
    }

    [Fact]
    public void Idn_config_domain_matches_punycode_and_unicode_hosts()
    {
        var engine = Engine("deny", Rule("one_factor", "bücher.example.com"));
        Assert.Equal(1, engine.Decide(User("john"), Target("https://xn--bcher-kva.example.com/")).Rule);
        Assert.Equal(1, engine.Decide(User("john"), Target("https://BÜCHER.example.com/")).Rule);
    }

    [Fact]
    public void User_domain_matches_only_the_users_own_subdomain()
    {
        var engine = Engine("deny", Rule("one_factor", "{user}.example.com"));
        Assert.Equal(1, engine.Decide(User("John"), Target("https://john.example.com/")).Rule);
        Assert.Null(engine.Decide(User("mary"), Target("https://john.example.com/")).Rule);
        Assert.Null(engine.Decide(User("john"), Target("https://example.com/")).Rule);
    }

    [Fact]
    public void Group_domain_matches_a_subdomain_named_after_one_of_the_users_groups()
    {
        var engine = Engine("deny", Rule("one_factor", "{group}.example.com"));
        Assert.Equal(1, engine.Decide(User("john", "users", "Dev"), Target("https://dev.example.com/")).Rule);
        Assert.Null(engine.Decide(User("john", "users"), Target("https://dev.example.com/")).Rule);
    }

    [Fact]
    public void Domain_and_domain_regex_are_ored()
    {
        var engine = Engine("deny", new AccessControlRuleOptions
        {
            Policy = "one_factor", Domain = ["app.example.com"], DomainRegex = [@"^api-\d+\.example\.com$"],
        });
        Assert.Equal(1, engine.Decide(User("john"), Target("https://app.example.com/")).Rule);
        Assert.Equal(1, engine.Decide(User("john"), Target("https://api-7.example.com/")).Rule);
        Assert.Null(engine.Decide(User("john"), Target("https://api-x.example.com/")).Rule);
    }

    [Fact]
    public void Go_named_groups_in_domain_regex_bind_user_and_group()
    {
        var engine = Engine("deny",
            new AccessControlRuleOptions { Policy = "one_factor", DomainRegex = [@"^user-(?P<User>\w+)\.example\.com$"] },
            new AccessControlRuleOptions { Policy = "two_factor", DomainRegex = [@"^(?P<Group>\w+)\.groups\.example\.com$"] });
        Assert.Equal(1, engine.Decide(User("john"), Target("https://user-john.example.com/")).Rule);
        Assert.Null(engine.Decide(User("mary"), Target("https://user-john.example.com/")).Rule);
        Assert.Equal(2, engine.Decide(User("mary", "ops"), Target("https://ops.groups.example.com/")).Rule);
        Assert.Null(engine.Decide(User("mary", "dev"), Target("https://ops.groups.example.com/")).Rule);
    }

    [Fact]
    public void Go_syntax_is_translated_but_escaped_and_class_text_is_kept()
    {
        Assert.Equal(@"^(?<User>\w+)$", AclRegex.TranslateGoSyntax(@"^(?P<User>\w+)$"));
        Assert.Equal(@"\(?P<x>[(?P<]", AclRegex.TranslateGoSyntax(@"\(?P<x>[(?P<]"));
    }

    [Fact]
    public void Subject_outer_list_is_or_and_inner_list_is_and()
    {
        var engine = Engine("deny", new AccessControlRuleOptions
        {
            Domain = ["app.example.com"], Policy = "one_factor", Subject = [["user:john"], ["group:admin", "group:app"]],
        });
        var t = Target("https://app.example.com/");
        Assert.Equal(1, engine.Decide(User("john"), t).Rule);
        Assert.Equal(1, engine.Decide(User("mary", "admin", "app"), t).Rule);
        Assert.Null(engine.Decide(User("mary", "admin"), t).Rule);
        Assert.Null(engine.Decide(User("John"), t).Rule);
        Assert.Null(engine.Decide(User("mary", "Admin", "app"), t).Rule);
    }

    [Fact]
    public void Anonymous_subject_potentially_matches_subject_rule_even_when_it_denies()
    {
        var engine = Engine("one_factor", new AccessControlRuleOptions
        {
            Domain = ["app.example.com"], Policy = "deny", Subject = [["group:banned"]],
        });
        Assert.Equal(new AccessDecision(Policy.Deny, 1, true, true), engine.Decide(Anon(), Target("https://app.example.com/")));
        Assert.Equal(new AccessDecision(Policy.OneFactor, null, false, false), engine.Decide(User("john", "users"), Target("https://app.example.com/")));
        Assert.Equal(new AccessDecision(Policy.Deny, 1, false, true), engine.Decide(User("john", "banned"), Target("https://app.example.com/")));
    }

    [Fact]
    public void Anonymous_subject_potentially_matches_user_group_domains_and_regex_groups()
    {
        var engine = Engine("deny",
            Rule("one_factor", "{user}.example.com"),
            new AccessControlRuleOptions { Policy = "two_factor", DomainRegex = [@"^(?P<Group>\w+)\.groups\.example\.org$"] });
        Assert.Equal(new AccessDecision(Policy.OneFactor, 1, true, true), engine.Decide(Anon(), Target("https://anyone.example.com/")));
        Assert.Equal(new AccessDecision(Policy.TwoFactor, 2, true, true), engine.Decide(Anon(), Target("https://x.groups.example.org/")));
    }

    [Fact]
    public void Rule_without_subject_is_never_potential_for_anonymous()
    {
        var engine = Engine("deny", Rule("deny", "app.example.com"));
        Assert.Equal(new AccessDecision(Policy.Deny, 1, false, false), engine.Decide(Anon(), Target("https://app.example.com/")));
    }

    [Fact]
    public void Anonymous_still_needs_every_non_subject_criterion()
    {
        var engine = Engine("two_factor", new AccessControlRuleOptions
        {
            Domain = ["app.example.com"], Policy = "one_factor", Subject = [["user:john"]], Methods = ["POST"],
        });
        Assert.Null(engine.Decide(Anon(), Target("https://app.example.com/")).Rule);
    }

    [Theory]
    [InlineData("10.1.2.3", 1)]
    [InlineData("::ffff:10.1.2.3", 1)]
    [InlineData("192.168.5.1", 1)]
    [InlineData("203.0.113.7", 1)]
    [InlineData("2001:db8::5", 1)]
    [InlineData("203.0.113.8", null)]
    [InlineData("11.0.0.1", null)]
    public void Networks_match_ips_cidrs_named_and_legacy_networks(string ip, int? rule)
    {
        var engine = AccessControlEngine.Compile(
            new AccessControlOptions
            {
                DefaultPolicy = "deny",
                Networks = [new() { Name = "lan", Networks = ["192.168.0.0/16"] }],
                Rules = [new() { Domain = ["app.example.com"], Policy = "bypass", Networks = ["internal", "lan", "203.0.113.7", "2001:db8::/64"] }],
            },
            new DefinitionsOptions { Network = new Dictionary<string, IReadOnlyList<string>> { ["internal"] = ["10.0.0.0/8"] } });
        Assert.Equal(rule, engine.Decide(new Subject("john", [], IPAddress.Parse(ip)), Target("https://app.example.com/")).Rule);
    }

    [Fact]
    public void Network_rule_does_not_match_without_a_client_ip()
    {
        var engine = Engine("deny", new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "bypass", Networks = ["0.0.0.0/0"] });
        Assert.Null(engine.Decide(new Subject("john", [], null), Target("https://app.example.com/")).Rule);
    }

    [Fact]
    public void Methods_are_compared_upper_cased()
    {
        var engine = Engine("deny", new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "bypass", Methods = ["get", "HEAD"] });
        Assert.Equal(1, engine.Decide(Anon(), Target("https://app.example.com/", "GET")).Rule);
        Assert.Null(engine.Decide(Anon(), Target("https://app.example.com/", "POST")).Rule);
    }

    [Theory]
    [InlineData("https://app.example.com/api", 1)]
    [InlineData("https://app.example.com/api/x", 1)]
    [InlineData("https://app.example.com/api?x=1", 1)]
    [InlineData("https://app.example.com/apix", null)]
    [InlineData("https://app.example.com/api%2Fy", 1)]
    [InlineData("https://app.example.com/API", null)]
    public void Resources_match_the_canonical_path_and_query(string url, int? rule)
    {
        var engine = Engine("deny", new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "one_factor", Resources = ["^/api([/?].*)?$"] });
        Assert.Equal(rule, engine.Decide(Anon(), Target(url)).Rule);
    }

    [Theory]
    [InlineData("https://app.example.com/api", 1)]
    [InlineData("https://app.example.com/API", 1)]
    [InlineData("https://app.example.com/Api/x?y", 1)]
    [InlineData("https://app.example.com/apix", null)]
    public void Resource_with_the_inline_case_insensitive_option_matches_in_any_letter_case(string url, int? rule)
    {
        var engine = Engine("deny", new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "one_factor", Resources = ["(?i)^/api([/?].*)?$"] });
        Assert.Equal(rule, engine.Decide(Anon(), Target(url)).Rule);
    }

    [Theory]
    [InlineData("/private?x=/public", 1)]
    [InlineData("/private#/public", 1)]
    [InlineData("/public/../private", 1)]
    [InlineData("/PUBLIC/../private/", 1)]
    [InlineData("/public", 2)]
    public void Spellings_of_a_private_path_keep_hitting_the_stricter_rule(string path, int rule)
    {
        var engine = Engine("deny",
            new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "two_factor", Resources = ["^/private([/?].*)?$"] },
            new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "bypass", Resources = ["^/public(/.*)?$"] });
        var decision = engine.Decide(Anon(), Target("https://app.example.com" + path));
        if (rule == 2)
        {
            Assert.Equal(2, decision.Rule);
        }
        else
        {
            // The private rule, or the default deny where another reading of the path matches no rule at all.
            Assert.True(decision.Rule == 1 || (decision.Rule is null && decision.Policy == Policy.Deny), $"{path}: rule {decision.Rule}, {decision.Policy}");
        }
    }

    [Theory]
    // An app that keeps ";x=1" literally routes this path to no rule at all: the default (deny) is the strictest.
    [InlineData("deny", "/private;x=1", "deny")]
    [InlineData("bypass", "/private;x=1", "two_factor")]
    [InlineData("bypass", "/private/..;/public", "two_factor")]
    [InlineData("bypass", "/private/..%2Fpublic", "two_factor")]
    // '\' keeps "private\..\public" one segment to RFC routers, and separates to IIS-like ones: never /private.
    [InlineData("bypass", "/private\\..\\public", "bypass")]
    [InlineData("bypass", "/x/../private", "two_factor")]
    [InlineData("bypass", "/private/../x", "two_factor")]
    [InlineData("bypass", "/private//../public", "two_factor")]
    [InlineData("bypass", "/public%2F..%2Fprivate", "two_factor")]
    [InlineData("bypass", "/public/x", "bypass")]
    public void A_path_read_differently_by_backends_gets_the_strictest_decision_of_its_readings(string defaultPolicy, string path, string expected)
    {
        var engine = Engine(defaultPolicy,
            new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "two_factor", Resources = ["^/private([/?].*)?$"] },
            new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "bypass", Resources = ["^/public(/.*)?$"] });
        var target = Target("https://app.example.com" + path);
        Assert.Equal(expected, engine.Decide(Anon(), target).Policy.ToConfigString());
        Assert.Equal(engine.Decide(Anon(), target), engine.DecideLinear(Anon(), target));
    }

    [Fact]
    public void Strictest_prefers_the_higher_policy_then_a_certain_match_then_the_stricter_passkey_setting()
    {
        var bypass = new AccessDecision(Policy.Bypass, 1, false, false);
        var twoFactorAllowUv = new AccessDecision(Policy.TwoFactor, 2, false, false, PasskeyUvTwoFactor.Allow);
        var twoFactorDenyUv = new AccessDecision(Policy.TwoFactor, 3, false, false, PasskeyUvTwoFactor.Deny);
        var potentialDeny = new AccessDecision(Policy.Deny, 4, true, true);
        var certainDeny = new AccessDecision(Policy.Deny, 5, false, false);
        Assert.Equal(twoFactorDenyUv, AccessControlEngine.Strictest([bypass, twoFactorAllowUv, twoFactorDenyUv]));
        Assert.Equal(twoFactorDenyUv, AccessControlEngine.Strictest([twoFactorDenyUv, twoFactorAllowUv]));
        Assert.Equal(certainDeny, AccessControlEngine.Strictest([potentialDeny, certainDeny, bypass]));
        Assert.Equal(potentialDeny, AccessControlEngine.Strictest([twoFactorDenyUv, potentialDeny]));
    }

    [Fact]
    public void Unanchored_resource_matches_inside_the_query_as_authelia_does()
    {
        var engine = Engine("deny", new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "bypass", Resources = ["/public"] });
        Assert.Equal(1, engine.Decide(Anon(), Target("https://app.example.com/private?x=/public")).Rule);
    }

    [Theory]
    [InlineData("equal", "k", "v", "?k=v", true)]
    [InlineData("equal", "k", "v", "?k=w", false)]
    [InlineData("equal", "k", "v", "?k=w&k=v", false)]
    [InlineData("equal", "k", "v", "?k=v&k=w", true)]
    [InlineData("equal", "k", "v", "", false)]
    [InlineData("equal", "k", "", "", true)]
    [InlineData("equal", "k", "a b", "?k=a+b", true)]
    [InlineData("not equal", "k", "v", "?k=w", true)]
    [InlineData("not equal", "k", "v", "?k=v", false)]
    [InlineData("not equal", "k", "v", "", true)]
    [InlineData("not equal", "k", "", "", true)]
    [InlineData("present", "k", null, "?k", true)]
    [InlineData("present", "k", null, "?k=", true)]
    [InlineData("present", "k", null, "?j=1", false)]
    [InlineData("absent", "k", null, "?j=1", true)]
    [InlineData("absent", "k", null, "?k", false)]
    [InlineData("pattern", "k", "^(abc|xyz)$", "?k=xyz", true)]
    [InlineData("pattern", "k", "^(abc|xyz)$", "?k=abcd", false)]
    [InlineData("pattern", "k", "^$", "", true)]
    [InlineData("not pattern", "k", "^(abc|xyz)$", "?k=abcd", true)]
    [InlineData("not pattern", "k", "^(abc|xyz)$", "?k=abc", false)]
    [InlineData("not pattern", "k", "^$", "", true)]
    [InlineData("", "k", "v", "?k=v", true)]
    [InlineData("", "k", "v", "?k=w", false)]
    [InlineData("", "k", null, "?k=w", true)]
    [InlineData("", "k", null, "?j=w", false)]
    public void Query_operators_and_their_defaults(string op, string key, string? value, string query, bool matches)
    {
        var engine = Engine("deny", new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "bypass", Query = [[Q(op, key, value)]] });
        Assert.Equal(matches, engine.Decide(Anon(), Target("https://app.example.com/x" + query)).Rule == 1);
    }

    [Theory]
    [InlineData("?secure=1", true)]
    [InlineData("?secure=1&insecure=1", false)]
    [InlineData("?token=abc", true)]
    [InlineData("?token=abq", false)]
    [InlineData("", false)]
    public void Query_outer_list_is_or_and_inner_list_is_and(string query, bool matches)
    {
        var engine = Engine("deny", new AccessControlRuleOptions
        {
            Domain = ["app.example.com"], Policy = "bypass",
            Query = [[Q("present", "secure"), Q("absent", "insecure")], [Q("pattern", "token", "^(abc|xyz)$")]],
        });
        Assert.Equal(matches, engine.Decide(Anon(), Target("https://app.example.com/" + query)).Rule == 1);
    }

    [Fact]
    public void Catastrophic_regex_on_a_long_path_answers_correctly()
    {
        // With a backtracking engine this pattern on 50,000 'a's and a trailing 'b' would not finish.
        var engine = Engine("deny", new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "bypass", Resources = ["^/(a+)+$"] });
        var a = new string('a', 50_000);
        Assert.Null(engine.Decide(Anon(), Target("https://app.example.com/" + a + "b")).Rule);
        Assert.Equal(1, engine.Decide(Anon(), Target("https://app.example.com/" + a)).Rule);
    }

    [Fact]
    public void Catastrophic_regex_on_thirty_as_and_a_b_answers_correctly()
    {
        var engine = Engine("deny", new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "bypass", Resources = ["(a+)+$"] });
        Assert.Null(engine.Decide(Anon(), Target("https://app.example.com/" + new string('a', 30) + "b")).Rule);
    }

    [Theory]
    [InlineData("https://public.example.com/", null, 1, false)]
    [InlineData("https://traefik.example.com/", "10.5.5.5", 2, false)]
    [InlineData("https://traefik.example.com/", "192.0.2.1", 10, true)]
    [InlineData("https://secure.example.com/", "192.168.1.20", 3, false)]
    [InlineData("https://secure.example.com/", "192.0.2.1", 4, false)]
    [InlineData("https://mx2.mail.example.com/", null, 6, true)]
    [InlineData("https://mx2.mail.example.com/api/x", null, 6, true)]
    [InlineData("https://anything.example.com/api/x", null, 7, false)]
    [InlineData("https://dev.example.com/groups/dev/x", null, 8, true)]
    [InlineData("https://dev.example.com/users/john/x", null, 9, true)]
    [InlineData("https://bob.example.com/x", null, 10, true)]
    [InlineData("https://ops.groups.example.com/x", null, 10, true)]
    [InlineData("https://example.com/", null, null, false)]
    public void Docs_style_rule_set_for_an_anonymous_user(string url, string? ip, int? rule, bool potential)
    {
        var options = DocsStyle();
        var engine = AccessControlEngine.Compile(options, new DefinitionsOptions());
        var d = engine.Decide(Anon(ip ?? "192.0.2.1"), Target(url));
        Assert.Equal(rule, d.Rule);
        Assert.Equal(potential, d.Potential);
    }

    [Theory]
    [InlineData("https://mx2.mail.example.com/", "john", "dev", null, "deny")]
    [InlineData("https://mx2.mail.example.com/api/v1", "john", "dev", 7, "bypass")]
    [InlineData("https://mx2.mail.example.com/x", "john", "admins", 6, "deny")]
    [InlineData("https://mx2.mail.example.com/x", "john", "dev", 12, "two_factor")]
    [InlineData("https://dev.example.com/users/john/x", "john", "", 9, "two_factor")]
    [InlineData("https://dev.example.com/users/john/x", "mary", "dev", null, "deny")]
    [InlineData("https://john.example.com/x", "john", "", 10, "one_factor")]
    [InlineData("https://ops.groups.example.com/x", "john", "ops", 11, "one_factor")]
    [InlineData("https://ops.groups.example.com/x", "john", "dev", null, "deny")]
    public void Docs_style_rule_set_for_a_known_user(string url, string user, string groups, int? rule, string policy)
    {
        var engine = AccessControlEngine.Compile(DocsStyle(), new DefinitionsOptions());
        var subject = User(user, groups.Split(',', StringSplitOptions.RemoveEmptyEntries));
        var d = engine.Decide(subject, Target(url, url.EndsWith("/x", StringComparison.Ordinal) && rule == 12 ? "OPTIONS" : "GET"));
        Assert.Equal(rule, d.Rule);
        Assert.Equal(policy, PolicyNames.Format(d.Policy));
        Assert.False(d.Potential);
    }

    [Fact]
    public void Explain_names_the_first_failing_criterion_and_potential_matches()
    {
        var engine = Engine("deny",
            Rule("bypass", "other.example.com"),
            new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "bypass", Resources = ["^/public$"] },
            new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "bypass", Query = [[Q("present", "x")]] },
            new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "bypass", Methods = ["POST"] },
            new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "bypass", Networks = ["10.0.0.0/8"] },
            new AccessControlRuleOptions { Domain = ["app.example.com"], Policy = "deny", Subject = [["user:root"]] },
            Rule("one_factor", "app.example.com"));
        var target = Target("https://app.example.com/private");
        var forUser = engine.Explain(User("john"), target);
        Assert.Equal(["domain", "resources", "query", "methods", "networks", "subject", null], forUser.Select(e => e.FailedCriterion));
        Assert.True(forUser[6].Matched);

        var forAnon = engine.Explain(Anon(), target);
        Assert.True(forAnon[5] is { Matched: true, Potential: true, Rule: 6, Policy: Policy.Deny });
        Assert.True(forAnon[6] is { Matched: true, Potential: false });
    }

    /// <summary>Authelia's <c>TestShouldCheckResourceSubjectMatching</c>: john is in admins and dev, bob in no group.</summary>
    private static AccessControlEngine PersonalPagesEngine() => Engine("deny",
        new AccessControlRuleOptions
        {
            Domain = ["id.example.com"], Policy = "one_factor",
            Resources = [@"^/(?P<User>[a-zA-Z0-9]+)/personal(/|/.*)?$", @"^/(?P<Group>[a-zA-Z0-9]+)/group(/|/.*)?$"],
        },
        new AccessControlRuleOptions
        {
            Domain = ["id.example.com"], Policy = "deny",
            Resources = [@"^/([a-zA-Z0-9]+)/personal(/|/.*)?$", @"^/([a-zA-Z0-9]+)/group(/|/.*)?$"],
        },
        Rule("bypass", "id.example.com"));

    private static Subject PersonalPagesSubject(string who) => who switch
    {
        "john" => User("john", "admins", "dev"),
        "bob" => User("bob"),
        _ => Anon(),
    };

    [Theory]
    [InlineData("anonymous", "/", "bypass")]
    [InlineData("john", "/john/personal", "one_factor")]
    [InlineData("john", "/John/personal", "one_factor")]
    [InlineData("bob", "/bob/personal", "one_factor")]
    [InlineData("bob", "/Bob/personal", "one_factor")]
    [InlineData("john", "/invaliduser/personal", "deny")]
    [InlineData("bob", "/invaliduser/personal", "deny")]
    [InlineData("anonymous", "/invaliduser/personal", "one_factor")]
    [InlineData("john", "/bob/personal", "deny")]
    [InlineData("john", "/Bob/personal", "deny")]
    [InlineData("anonymous", "/bob/personal", "one_factor")]
    [InlineData("bob", "/john/personal", "deny")]
    [InlineData("bob", "/John/personal", "deny")]
    [InlineData("anonymous", "/John/personal", "one_factor")]
    [InlineData("john", "/dev/group", "one_factor")]
    [InlineData("john", "/admins/group", "one_factor")]
    [InlineData("john", "/Admins/group/x", "one_factor")]
    [InlineData("bob", "/dev/group", "deny")]
    [InlineData("bob", "/admins/group", "deny")]
    [InlineData("anonymous", "/dev/group", "one_factor")]
    [InlineData("john", "/invalidgroup/group", "deny")]
    [InlineData("anonymous", "/invalidgroup/group", "one_factor")]
    public void A_User_or_Group_named_group_in_resources_must_capture_the_signed_in_user_or_one_of_their_groups(string who, string path, string policy)
    {
        var engine = PersonalPagesEngine();
        var d = engine.Decide(PersonalPagesSubject(who), Target("https://id.example.com" + path));
        Assert.Equal(policy, PolicyNames.Format(d.Policy));
        Assert.Equal(engine.DecideLinear(PersonalPagesSubject(who), Target("https://id.example.com" + path)), d);
    }

    [Fact]
    public void A_rule_whose_resources_bind_the_user_has_subject_criteria_and_is_only_a_potential_match_for_anonymous()
    {
        var engine = PersonalPagesEngine();
        Assert.Equal(new AccessDecision(Policy.OneFactor, 1, false, true), engine.Decide(User("john"), Target("https://id.example.com/john/personal")));
        Assert.Equal(new AccessDecision(Policy.OneFactor, 1, true, true), engine.Decide(Anon(), Target("https://id.example.com/bob/personal")));
        // The anonymous potential match still needs the path to fit the pattern.
        Assert.Equal(new AccessDecision(Policy.Bypass, 3, false, false), engine.Decide(Anon(), Target("https://id.example.com/bob/public")));
    }

    [Fact]
    public void Anonymous_on_a_deny_rule_whose_resources_bind_the_user_is_asked_to_log_in_and_a_signed_in_stranger_gets_403()
    {
        var engine = Engine("deny", new AccessControlRuleOptions
        {
            Domain = ["id.example.com"], Policy = "deny", Resources = [@"^/(?P<User>\w+)/private$"],
        });
        var anonymous = engine.Decide(Anon(), Target("https://id.example.com/bob/private"));
        Assert.Equal(new AccessDecision(Policy.Deny, 1, true, true), anonymous);
        Assert.Equal(Portal.ForwardAuth.AuthzOutcome.Unauthorized, Portal.ForwardAuth.AuthzDecision.Evaluate(anonymous, null, false));
        var password = new Portal.Session.AuthenticationMethods { UsernameAndPassword = true, KnowledgeBasedAuthentication = true };
        var bob = engine.Decide(User("bob"), Target("https://id.example.com/bob/private"));
        Assert.Equal(Portal.ForwardAuth.AuthzOutcome.Forbidden, Portal.ForwardAuth.AuthzDecision.Evaluate(bob, password, false));
    }

    [Theory]
    [InlineData("john", "https://john-files.example.com/", 1)]
    [InlineData("John", "https://john-files.example.com/", 1)]
    [InlineData("john", "https://JOHN-Files.example.com./x", 1)]
    [InlineData("bob", "https://john-files.example.com/", null)]
    [InlineData("john", "https://bob-files.example.com/", null)]
    [InlineData("john", "https://john.example.com/", null)]
    [InlineData("john", "https://johnfiles.example.com/", null)]
    [InlineData("john", "https://x.john-files.example.com/", null)]
    [InlineData("john", "https://john-files.example.org/", null)]
    [InlineData("john", "https://files.example.com/", null)]
    public void User_placeholder_followed_by_a_suffix_matches_only_the_users_own_host(string user, string url, int? rule)
    {
        var engine = Engine("deny", Rule("one_factor", "{user}-files.example.com"));
        Assert.Equal(rule, engine.Decide(User(user), Target(url)).Rule);
        Assert.Equal(engine.DecideLinear(User(user), Target(url)), engine.Decide(User(user), Target(url)));
    }

    [Theory]
    [InlineData("https://admins-wiki.example.com/", "admins,dev", 1)]
    [InlineData("https://dev-wiki.example.com/", "admins,dev", 1)]
    [InlineData("https://admins-wiki.example.com/", "Admins", 1)]
    [InlineData("https://ADMINS-wiki.example.com/", "admins", 1)]
    [InlineData("https://admins-wiki.example.com/", "dev", null)]
    [InlineData("https://admins-wiki.example.com/", "", null)]
    [InlineData("https://john-wiki.example.com/", "admins", null)]
    [InlineData("https://admins.example.com/", "admins", null)]
    public void Group_placeholder_followed_by_a_suffix_matches_members_of_that_group_only(string url, string groups, int? rule)
    {
        var engine = Engine("deny", Rule("one_factor", "{group}-wiki.example.com"));
        Assert.Equal(rule, engine.Decide(User("john", groups.Split(',', StringSplitOptions.RemoveEmptyEntries)), Target(url)).Rule);
    }

    [Theory]
    [InlineData("{user}-files.example.com", "https://anyone-files.example.com/", 1)]
    [InlineData("{user}-files.example.com", "https://a.b-files.example.com/", 1)]
    [InlineData("{user}-files.example.com", "https://files.example.com/", null)]
    [InlineData("{group}-wiki.example.com", "https://whatever-wiki.example.com/", 1)]
    [InlineData("{group}-wiki.example.com", "https://wiki.example.com/", null)]
    public void Anonymous_subject_potentially_matches_placeholder_prefix_domains(string domain, string url, int? rule)
    {
        var engine = Engine("deny", Rule("deny", domain));
        var d = engine.Decide(Anon(), Target(url));
        Assert.Equal(rule is null ? new AccessDecision(Policy.Deny, null, false, false) : new AccessDecision(Policy.Deny, 1, true, true), d);
        if (rule is not null)
        {
            Assert.Equal(Portal.ForwardAuth.AuthzOutcome.Unauthorized, Portal.ForwardAuth.AuthzDecision.Evaluate(d, null, false));
        }
    }

    [Fact]
    public void A_placeholder_followed_by_a_single_label_matches_without_an_index_suffix()
    {
        var engine = Engine("deny", Rule("two_factor", "other.example.com"), Rule("one_factor", "{user}-intranet"));
        Assert.Equal(2, engine.Decide(User("john"), Target("https://john-intranet/")).Rule);
        Assert.Null(engine.Decide(User("bob"), Target("https://john-intranet/")).Rule);
    }

    [Fact]
    public void Explain_says_when_a_criterion_failed_only_because_it_names_someone_else()
    {
        var engine = Engine("deny",
            new AccessControlRuleOptions { Domain = ["id.example.com"], Policy = "one_factor", Resources = [@"^/(?P<User>\w+)/personal$"] },
            Rule("one_factor", "{user}-files.example.com", "{group}-wiki.example.com"));
        var resources = engine.Explain(User("john", "dev"), Target("https://id.example.com/bob/personal"))[0];
        Assert.Equal("resources", resources.FailedCriterion);
        Assert.Equal(@"the User group of '^/(?P<User>\w+)/personal$' captured 'bob', not the username 'john'", resources.IdentityMismatch);
        Assert.Null(engine.Explain(User("john"), Target("https://id.example.com/bob/other"))[0].IdentityMismatch);
        Assert.Equal("'{user}-files.example.com' gives 'bob' for {user}, not the username 'john'",
            engine.Explain(User("john", "dev"), Target("https://bob-files.example.com/"))[1].IdentityMismatch);
        Assert.Equal("'{group}-wiki.example.com' gives 'ops' for {group}, which is not one of the user's groups ('dev')",
            engine.Explain(User("john", "dev"), Target("https://ops-wiki.example.com/"))[1].IdentityMismatch);
        var anonymous = engine.Explain(Anon(), Target("https://id.example.com/bob/personal"))[0];
        Assert.True(anonymous is { Matched: true, Potential: true, IdentityMismatch: null });
        Assert.Equal(["resources"], anonymous.SubjectCriteria);
    }

    [Fact]
    public void Second_factor_is_enabled_only_when_some_rule_or_default_needs_it()
    {
        Assert.False(Engine("one_factor", Rule("deny", "a.example.com")).IsSecondFactorEnabled);
        Assert.True(Engine("deny", Rule("two_factor", "a.example.com")).IsSecondFactorEnabled);
    }

    [Theory]
    [InlineData("bypass", 0)]
    [InlineData("one_factor", 1)]
    [InlineData("two_factor", 2)]
    [InlineData("deny", 3)]
    public void Policy_names_round_trip(string name, int value)
    {
        var policy = (Policy)value;
        Assert.Equal(policy, PolicyNames.Parse(name));
        Assert.Equal(name, PolicyNames.Format(policy));
    }

    [Theory]
    [InlineData("Deny")]
    [InlineData("two-factor")]
    [InlineData("")]
    public void Policy_names_are_exact(string name) => Assert.False(PolicyNames.TryParse(name, out _));
}
