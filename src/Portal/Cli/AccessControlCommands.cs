using System.Globalization;
using System.Net;
using Portal.Authorization;
using Portal.Configuration;

namespace Portal.Cli;

/// <summary><c>portal access-control check-policy</c>: which rule applies to a request, and why the others don't.</summary>
internal static class AccessControlCommands
{
    private static readonly string[] ValueOptions = ["config", "url", "method", "username", "groups", "ip"];
    private static readonly string[] FlagOptions = ["json"];

    /// <param name="args">the arguments after <c>access-control</c></param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, files => ConfigLoader.Load(files, ConfigLoader.ProcessEnvironment()));

    /// <summary>The same, with the loader passed in so tests can hand over options built in code.</summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<IReadOnlyList<string>, ConfigLoadResult> load)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(load);
        try
        {
            if (args.Length == 0 || args[0] != "check-policy")
            {
                return CliApp.Fail(stderr, args.Length == 0
                    ? "access-control needs a subcommand: check-policy"
                    : $"unknown access-control subcommand '{args[0]}'");
            }
            return CheckPolicy(CliArgs.Parse(args[1..], ValueOptions, FlagOptions), stdout, stderr, load);
        }
        catch (CliUsageException e)
        {
            return CliApp.Fail(stderr, e.Message);
        }
    }

    private static int CheckPolicy(CliArgs cli, TextWriter stdout, TextWriter stderr, Func<IReadOnlyList<string>, ConfigLoadResult> load)
    {
        if (cli.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{cli.Positionals[0]}'");
        }
        var configs = cli.Values("config");
        if (configs.Count == 0)
        {
            throw new CliUsageException("option --config is required");
        }
        var url = cli.Required("url");
        var method = (cli.Value("method") ?? "GET").ToUpperInvariant();
        var username = cli.Value("username");
        var groups = (cli.Value("groups") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        IPAddress? ip = null;
        if (cli.Value("ip") is { } ipText && !IPAddress.TryParse(ipText, out ip))
        {
            throw new CliUsageException($"option --ip: '{ipText}' is not an IP address");
        }
        if (!AccessTarget.TryCreate(url, method, out var target, out var urlError))
        {
            throw new CliUsageException($"option --url/--method: {urlError}");
        }

        var loaded = load(configs);
        foreach (var warning in loaded.Diagnostics.Warnings)
        {
            stderr.WriteLine($"Warning: {warning}");
        }
        if (!loaded.IsValid)
        {
            return ReportErrors(loaded.Diagnostics, stderr);
        }
        var engine = AccessControlEngine.Compile(loaded.Options.AccessControl, loaded.Options.Definitions);
        var subject = new Subject(string.IsNullOrEmpty(username) ? null : username, groups, ip);
        var decision = engine.Decide(subject, target);

        if (cli.Flag("json"))
        {
            var rule = decision.Rule is { } n ? n.ToString(CultureInfo.InvariantCulture) : "null";
            var potential = decision.Potential ? "true" : "false";
            stdout.WriteLine($"{{\"policy\":\"{PolicyNames.Format(decision.Policy)}\",\"rule\":{rule},\"potential\":{potential}}}");
            return 0;
        }
        WriteExplanation(stdout, engine, subject, target, url, decision);
        return 0;
    }

    private static int ReportErrors(ConfigDiagnostics diagnostics, TextWriter stderr)
    {
        stderr.WriteLine("Error: the configuration is invalid:");
        foreach (var error in diagnostics.Errors)
        {
            stderr.WriteLine($"  - {error}");
        }
        return 1;
    }

    private static void WriteExplanation(TextWriter stdout, AccessControlEngine engine, Subject subject, AccessTarget target, string url, AccessDecision decision)
    {
        var who = subject.IsAnonymous
            ? "anonymous"
            : $"username '{subject.Username ?? ""}', groups '{string.Join(",", subject.Groups)}'";
        var ip = subject.Ip?.ToString() ?? "none";
        stdout.WriteLine($"Checking request to '{url}' with method '{target.Method}' ({who}, ip {ip}).");
        if (!string.Equals(target.ToString(), url, StringComparison.Ordinal))
        {
            stdout.WriteLine($"Canonical form: '{target}' (resources match '{target.PathAndQuery}').");
        }
        stdout.WriteLine();

        var explanations = engine.Explain(subject, target);
        if (explanations.Count == 0)
        {
            stdout.WriteLine("  (no rules)");
        }
        foreach (var e in explanations)
        {
            var status = e switch
            {
                { Matched: false } => $"no match: '{e.FailedCriterion}' does not match",
                _ when e.Rule != decision.Rule => e.Potential ? "potential match, but an earlier rule applies" : "match, but an earlier rule applies",
                { Potential: true } => "potential match: applies because the user is anonymous and the rule has subject criteria",
                _ => "match: applies",
            };
            var marker = e.Rule == decision.Rule ? "*" : " ";
            stdout.WriteLine($"{marker} rule #{e.Rule,-4} {PolicyNames.Format(e.Policy),-10}  {status}");
        }
        stdout.WriteLine();

        var policy = PolicyNames.Format(decision.Policy);
        if (decision.Rule is not { } number)
        {
            stdout.WriteLine($"No rule matches: the default policy '{policy}' will be applied to this request.");
        }
        else if (decision.Potential)
        {
            stdout.WriteLine($"The policy '{policy}' from rule #{number} will potentially be applied to this request: "
                + "the user will be asked to log in, and the rules are evaluated again with their identity.");
        }
        else
        {
            stdout.WriteLine($"The policy '{policy}' from rule #{number} will be applied to this request.");
        }
    }
}
