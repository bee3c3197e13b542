using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Globalization;
using System.Net;
using Portal.AccessControl;
using Portal.Configuration;

// Decision cost of the access-control engine as the rule count grows. Not a test: run with scripts/bench-acl.sh.
// "kestrel PORT": a bare Kestrel answering 200, the baseline of scripts/bench-forward-auth.sh.
if (args is ["kestrel", var portText])
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, int.Parse(portText, CultureInfo.InvariantCulture)));
    var bare = builder.Build();
    bare.Run(context => context.Response.WriteAsync("ok\n"));
    await bare.RunAsync();
    return;
}

var cases = new (string Name, int Rules, int RegexRules)[]
{
    ("10 rules", 10, 0),
    ("1,000 rules", 1_000, 0),
    ("10,000 rules", 10_000, 0),
    ("10,000 rules + 20 domain_regex", 10_000, 20),
};

Console.WriteLine($"{"case",-34} {"ns/decision",12} {"hit rule",10}");
var baseline = 0.0;
foreach (var (name, ruleCount, regexCount) in cases)
{
    var engine = AccessControlEngine.Compile(BuildOptions(ruleCount, regexCount), new DefinitionsOptions());
    var targets = Enumerable.Range(0, 256).Select(i => Target(ruleCount, i)).ToArray();
    var subject = new Subject("john", ["dev"], IPAddress.Parse("10.1.2.3"));

    var sink = 0;
    for (var i = 0; i < 200_000; i++)
    {
        sink += engine.Decide(subject, targets[i & 255]).Rule ?? 0;
    }
    const int iterations = 2_000_000;
    var best = double.MaxValue;
    for (var round = 0; round < 5; round++)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            sink += engine.Decide(subject, targets[i & 255]).Rule ?? 0;
        }
        sw.Stop();
        best = Math.Min(best, sw.Elapsed.TotalNanoseconds / iterations);
    }
    var sample = engine.Decide(subject, targets[7]).Rule?.ToString(CultureInfo.InvariantCulture) ?? "default";
    baseline = baseline == 0 ? best : baseline;
    Console.WriteLine($"{name,-34} {best,12:F1} {sample,10}   ({best / baseline:F2}x of 10 rules){(sink == 42 ? " " : "")}");
}

// Rule i guards app{i}.example{i % 7}.com; every tenth is a wildcard over svc{i}.example.org; regex rules come first.
static AccessControlOptions BuildOptions(int ruleCount, int regexCount)
{
    var rules = new List<AccessControlRuleOptions>();
    for (var r = 0; r < regexCount; r++)
    {
        rules.Add(new() { DomainRegex = [$@"^(?P<User>\w+)\.tenant{r}\.example\.net$"], Policy = "one_factor" });
    }
    for (var i = 0; i < ruleCount; i++)
    {
        rules.Add(i % 10 == 0
            ? new() { Domain = [$"*.svc{i}.example.org"], Policy = "two_factor", Methods = ["GET", "POST"] }
            : new() { Domain = [$"app{i}.example{i % 7}.com"], Policy = "one_factor", Resources = ["^/api([/?].*)?$"], Subject = [["group:dev"]] });
    }
    rules.Add(new() { Domain = ["*.example0.com"], Policy = "deny" });
    return new AccessControlOptions { DefaultPolicy = "deny", Rules = rules };
}

// Spread over the whole rule set, so the big cases really look far into the list.
static AccessTarget Target(int ruleCount, int i)
{
    var rule = (int)((long)i * 7919 % ruleCount);
    var url = rule % 10 == 0
        ? $"https://a.b.svc{rule}.example.org/x"
        : $"https://app{rule}.example{rule % 7}.com/api/v1?id={i}";
    return AccessTarget.TryCreate(url, "GET", out var target, out var error) ? target : throw new InvalidOperationException(error);
}
