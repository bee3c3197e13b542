using System.Net;
using Portal.AccessControl;
using Portal.Configuration;

namespace Portal.Tests.AccessControl;

/// <summary>The domain index must change only the cost of a decision, never its outcome.</summary>
public sealed class AccessControlIndexTests
{
    private static readonly string[] Labels = ["a", "b", "app", "x", "john", "dev"];
    private static readonly string[] Tlds = ["example.com", "example.org", "com"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Indexed_decisions_equal_a_linear_scan_over_random_rules_and_hosts(int seed)
    {
        var random = new Random(seed);
        var rules = Enumerable.Range(0, 80).Select(_ => RandomRule(random)).ToList();
        var engine = AccessControlEngine.Compile(new AccessControlOptions { DefaultPolicy = "deny", Rules = rules }, new DefinitionsOptions());
        Subject[] subjects =
        [
            Subject.Anonymous(IPAddress.Parse("10.0.0.1")),
            new("john", ["dev"], IPAddress.Parse("10.0.0.1")),
            new("x", [], IPAddress.Parse("192.0.2.1")),
        ];

        var matchedByRule = 0;
        var fellToDefault = 0;
        for (var i = 0; i < 3000; i++)
        {
            var url = $"https://{RandomHost(random)}/{(random.Next(2) == 0 ? "api/v1" : "web")}";
            Assert.True(AccessTarget.TryCreate(url, random.Next(2) == 0 ? "GET" : "POST", out var target, out _));
            var subject = subjects[random.Next(subjects.Length)];
            var indexed = engine.Decide(subject, target);
            Assert.Equal(engine.DecideLinear(subject, target), indexed);
            _ = indexed.Rule is null ? fellToDefault++ : matchedByRule++;
        }
        // Guard against a generator so skewed that the comparison proves nothing.
        Assert.True(matchedByRule > 300, $"only {matchedByRule} decisions came from a rule");
        Assert.True(fellToDefault > 100, $"only {fellToDefault} decisions fell to the default");
    }

    private static readonly string[] PlaceholderLabels = ["john", "bob", "admins", "dev", "x", "john-files", "bob-files", "dev-wiki", "admins-wiki", "JOHN-files", "wiki"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Indexed_decisions_equal_a_linear_scan_for_placeholder_prefix_domains_and_identity_bound_resources(int seed)
    {
        var random = new Random(seed);
        var rules = Enumerable.Range(0, 40).Select(_ => RandomPlaceholderRule(random)).ToList();
        var engine = AccessControlEngine.Compile(new AccessControlOptions { DefaultPolicy = "deny", Rules = rules }, new DefinitionsOptions());
        Subject[] subjects =
        [
            Subject.Anonymous(IPAddress.Parse("10.0.0.1")),
            new("john", ["admins", "dev"], IPAddress.Parse("10.0.0.1")),
            new("John", ["Dev"], IPAddress.Parse("10.0.0.1")),
            new("bob", [], IPAddress.Parse("10.0.0.1")),
        ];

        var signedInByPlaceholder = 0;
        var signedInByResource = 0;
        for (var i = 0; i < 4000; i++)
        {
            var labels = Enumerable.Range(0, random.Next(1, 3)).Select(_ => PlaceholderLabels[random.Next(PlaceholderLabels.Length)]);
            // Some single-label hosts, for the rules whose placeholder is followed by one label ('{user}-files').
            var host = random.Next(8) == 0 ? PlaceholderLabels[random.Next(PlaceholderLabels.Length)] : string.Join('.', labels.Append(Tlds[random.Next(Tlds.Length)]));
            var path = (new[] { "/john/personal", "/bob/personal", "/dev/group", "/x" })[random.Next(4)];
            Assert.True(AccessTarget.TryCreate($"https://{host}{path}", "GET", out var target, out var error), error);
            var subject = subjects[random.Next(subjects.Length)];
            var indexed = engine.Decide(subject, target);
            Assert.Equal(engine.DecideLinear(subject, target), indexed);
            if (!subject.IsAnonymous && indexed.Rule is { } n)
            {
                var rule = rules[n - 1];
                signedInByPlaceholder += rule.Domain.Any(d => d.Contains("}-", StringComparison.Ordinal)) ? 1 : 0;
                signedInByResource += rule.Resources.Count > 0 ? 1 : 0;
            }
        }
        // The rules must really apply to signed-in users, or agreeing on "no match" would prove nothing.
        Assert.True(signedInByPlaceholder > 100, $"only {signedInByPlaceholder} signed-in decisions came from a '{{user}}-…' or '{{group}}-…' rule");
        Assert.True(signedInByResource > 100, $"only {signedInByResource} signed-in decisions came from a User/Group resource rule");
    }

    private static AccessControlRuleOptions RandomPlaceholderRule(Random random)
    {
        // Options are read-only once built: the lists are filled first, in the same order of draws as before.
        var policy = (new[] { "deny", "one_factor", "two_factor" })[random.Next(3)];
        var domain = new List<string>();
        var resources = new List<string>();
        var suffix = random.Next(6) == 0 ? "" : "." + Tlds[random.Next(Tlds.Length)];
        switch (random.Next(10))
        {
            case 8 or 9: domain.Add("*." + Tlds[random.Next(Tlds.Length)]); break;
            case 0: domain.Add("{user}-files" + suffix); break;
            case 1: domain.Add("{group}-wiki" + suffix); break;
            case 2: domain.Add("{user}" + (suffix.Length == 0 ? "-files" : suffix)); break;
            case 3: domain.Add("{group}" + (suffix.Length == 0 ? "-wiki" : suffix)); break;
            case 4: domain.Add("{USER}-Files" + suffix.ToUpperInvariant()); break;
            case 5: domain.Add("*" + (suffix.Length == 0 ? ".com" : suffix)); break;
            default:
                domain.Add("{user}-files" + suffix);
                domain.Add(PlaceholderLabels[random.Next(PlaceholderLabels.Length)] + (suffix.Length == 0 ? ".com" : suffix));
                break;
        }
        switch (random.Next(3))
        {
            case 0: resources.Add(@"^/(?P<User>\w+)/personal$"); break;
            case 1: resources.Add(@"^/(?P<Group>\w+)/group$"); break;
        }
        return new AccessControlRuleOptions { Policy = policy, Domain = domain, Resources = resources };
    }

    [Fact]
    public void Rule_listed_under_several_index_keys_is_evaluated_in_its_original_position()
    {
        var engine = AccessControlEngine.Compile(new AccessControlOptions
        {
            DefaultPolicy = "deny",
            Rules =
            [
                new() { Domain = ["*.example.com"], Policy = "one_factor", Methods = ["POST"] },
                new() { Domain = ["app.example.com", "*.example.com", "*.app.example.com"], Policy = "two_factor" },
                new() { DomainRegex = ["^app\\."], Policy = "bypass" },
                new() { Domain = ["app.example.com"], Policy = "bypass" },
            ],
        }, new DefinitionsOptions());
        Assert.True(AccessTarget.TryCreate("https://app.example.com/", "GET", out var target, out _));
        Assert.Equal(2, engine.Decide(Subject.Anonymous(), target).Rule);
        Assert.True(AccessTarget.TryCreate("https://app.example.net/", "GET", out target, out _));
        Assert.Equal(3, engine.Decide(Subject.Anonymous(), target).Rule);
    }

    private static string RandomHost(Random random)
    {
        var depth = random.Next(0, 4);
        var labels = Enumerable.Range(0, depth).Select(_ => Labels[random.Next(Labels.Length)]);
        // One host in five is under a domain no rule names, so the default policy gets exercised too.
        var tld = random.Next(5) == 0 ? "example.net" : Tlds[random.Next(Tlds.Length)];
        return string.Join('.', labels.Append(tld));
    }

    private static AccessControlRuleOptions RandomRule(Random random)
    {
        var policy = (new[] { "deny", "one_factor", "two_factor" })[random.Next(3)];
        List<string> domain = [], domainRegex = [], methods = [], resources = [], networks = [];
        var subject = new List<IReadOnlyList<string>>();
        var domains = random.Next(1, 3);
        for (var i = 0; i < domains; i++)
        {
            var suffix = random.Next(2) == 0 ? Tlds[random.Next(Tlds.Length)] : $"{Labels[random.Next(Labels.Length)]}.{Tlds[random.Next(Tlds.Length)]}";
            switch (random.Next(10))
            {
                case 0: domainRegex.Add($"^{Labels[random.Next(Labels.Length)]}\\.[a-z.]+\\.(com|org)$"); break;
                case 1: domainRegex.Add(@"^(?P<User>\w+)\.example\.com$"); break;
                case 2: domain.Add("{user}." + suffix); break;
                case 3: domain.Add("{group}." + suffix); break;
                case 4 or 5: domain.Add("*." + suffix); break;
                default: domain.Add(random.Next(3) == 0 ? suffix.ToUpperInvariant() + "." : suffix); break;
            }
        }
        if (random.Next(4) == 0)
        {
            methods.Add("POST");
        }
        if (random.Next(4) == 0)
        {
            resources.Add("^/api/");
        }
        if (random.Next(5) == 0)
        {
            subject.Add([random.Next(2) == 0 ? "user:john" : "group:dev"]);
        }
        if (random.Next(6) == 0)
        {
            networks.Add("10.0.0.0/8");
        }
        return new AccessControlRuleOptions
        {
            Policy = policy, Domain = domain, DomainRegex = domainRegex, Methods = methods, Resources = resources, Subject = subject, Networks = networks,
        };
    }
}
