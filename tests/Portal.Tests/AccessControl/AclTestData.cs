using System.Net;
using Portal.AccessControl;
using Portal.Configuration;

namespace Portal.Tests.AccessControl;

/// <summary>Builds options the way the YAML binder will, and targets and subjects for the engine.</summary>
internal static class AclTestData
{
    public static AccessControlEngine Engine(string defaultPolicy, params AccessControlRuleOptions[] rules) =>
        AccessControlEngine.Compile(new AccessControlOptions { DefaultPolicy = defaultPolicy, Rules = [.. rules] }, new DefinitionsOptions());

    public static AccessTarget Target(string url, string method = "GET")
    {
        Assert.True(AccessTarget.TryCreate(url, method, out var target, out var error), error);
        return target;
    }

    public static Subject User(string name, params string[] groups) => new(name, groups, IPAddress.Parse("192.0.2.10"));

    public static Subject Anon(string ip = "192.0.2.10") => Subject.Anonymous(IPAddress.Parse(ip));

    public static AccessControlRuleOptions Rule(string policy, params string[] domains) => new() { Policy = policy, Domain = [.. domains] };

    public static AccessControlQueryOptions Q(string op, string key, string? value = null) => new() { Operator = op, Key = key, Value = value };

    /// <summary>An Authelia-docs-style rule set, used by several tests.</summary>
    public static AccessControlOptions DocsStyle() => new()
    {
        DefaultPolicy = "deny",
        Rules =
        [
            new() { Domain = ["public.example.com"], Policy = "bypass" },                                      // 1
            new() { Domain = ["traefik.example.com"], Policy = "one_factor", Networks = ["internal"] },          // 2
            new() { Domain = ["secure.example.com"], Policy = "one_factor", Networks = ["192.168.1.0/24"] },     // 3
            new() { Domain = ["secure.example.com", "private.example.com"], Policy = "two_factor" },             // 4
            new() { Domain = ["singlefactor.example.com"], Policy = "one_factor" },                              // 5
            new() { Domain = ["mx2.mail.example.com"], Policy = "deny", Subject = [["group:admins"]] },          // 6
            new() { Domain = ["*.example.com"], Policy = "bypass", Resources = ["^/api$", "^/api/"] },           // 7
            new() { Domain = ["dev.example.com"], Policy = "two_factor", Resources = ["^/groups/dev/.*$"], Subject = [["group:dev"]] }, // 8
            new() { Domain = ["dev.example.com"], Policy = "two_factor", Resources = ["^/users/john/.*$"], Subject = [["user:john"], ["group:admins"]] }, // 9
            new() { Domain = ["{user}.example.com"], Policy = "one_factor" },                                   // 10
            new() { DomainRegex = [@"^(?P<Group>\w+)\.groups\.example\.com$"], Policy = "one_factor" },          // 11
            new() { Domain = ["*.example.com"], Policy = "two_factor", Methods = ["OPTIONS"] },                  // 12
        ],
        Networks = [new() { Name = "internal", Networks = ["10.0.0.0/8", "172.16.0.0/12"] }],
    };
}
