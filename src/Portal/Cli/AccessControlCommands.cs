using System.Globalization;
using System.Net;
using Portal.AccessControl;
using Portal.ForwardAuth;
using Portal.Configuration;
using Portal.Session;

namespace Portal.Cli;

/// <summary><c>portal access-control check-policy</c>: which rule applies to a request, and why the others don't.</summary>
internal static class AccessControlCommands
{
    private static readonly string[] ValueOptions = ["config", "url", "method", "username", "groups", "ip", "factors"];

    /// <summary>The <c>--factors</c> words, as a session would have recorded each proof.</summary>
    private static readonly string[] FactorNames = ["password", "totp", "passkey", "passkey-uv", "security-key", "security-key-uv"];
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
        var factors = cli.Value("factors") is { } factorText ? ParseFactors(factorText) : null;
        if (factors is not null && string.IsNullOrEmpty(username))
        {
            throw new CliUsageException("option --factors needs --username: factors belong to a signed-in user");
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
        var globalUv = loaded.Options.WebAuthn.ExperimentalEnablePasskeyUvTwoFactors;
        // The same pure function the authz endpoints and the gateway use.
        SessionVerdict? session = factors is null ? null : new SessionVerdict(factors.Value.Names,
            AuthzDecision.LevelUnder(decision, factors.Value.Methods, globalUv), AuthzDecision.Evaluate(decision, factors.Value.Methods, globalUv));

        if (cli.Flag("json"))
        {
            stdout.WriteLine(Json(decision, globalUv, session));
            return 0;
        }
        WriteExplanation(stdout, engine, subject, target, url, decision);
        WritePasskeyAndSession(stdout, decision, globalUv, session);
        return 0;
    }

    private readonly record struct SessionVerdict(IReadOnlyList<string> Factors, AuthenticationLevel Level, AuthzOutcome Outcome);

    /// <summary>
    /// <c>--factors password,passkey-uv</c>: the methods a session would hold. A session keeps only the latest WebAuthn
    /// assertion (its UV flag is overwritten, never accumulated), so at most one WebAuthn word is accepted.
    /// </summary>
    private static (IReadOnlyList<string> Names, AuthenticationMethods Methods)? ParseFactors(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            throw new CliUsageException($"option --factors: give one or more of {string.Join(", ", FactorNames)}");
        }
        var methods = new AuthenticationMethods();
        var webAuthn = 0;
        foreach (var name in names)
        {
            switch (name)
            {
                case "password":
                    methods.UsernameAndPassword = true;
                    methods.KnowledgeBasedAuthentication = true;
                    break;
                case "totp":
                    methods.Totp = true;
                    break;
                case "passkey" or "passkey-uv" or "security-key" or "security-key-uv":
                    webAuthn++;
                    methods.SetWebAuthnAssertion(crossPlatform: name.StartsWith("security-key", StringComparison.Ordinal), userPresent: true,
                        userVerified: name.EndsWith("-uv", StringComparison.Ordinal));
                    break;
                default:
                    throw new CliUsageException($"option --factors: unknown factor '{name}'; use {string.Join(", ", FactorNames)}");
            }
        }
        if (webAuthn > 1)
        {
            throw new CliUsageException("option --factors: a session records one WebAuthn assertion (the latest); name at most one of passkey, passkey-uv, security-key, security-key-uv");
        }
        return (names, methods);
    }

    private static string Json(AccessDecision decision, bool globalUv, SessionVerdict? session)
    {
        var rule = decision.Rule is { } n ? n.ToString(CultureInfo.InvariantCulture) : "null";
        var potential = decision.Potential ? "true" : "false";
        var setting = PasskeyUvTwoFactorNames.Format(decision.PasskeyUv) is { } s ? $"\"{s}\"" : "null";
        var counts = decision.PasskeyUv.CountsAsTwoFactor(globalUv) ? "true" : "false";
        var json = $"{{\"policy\":\"{PolicyNames.Format(decision.Policy)}\",\"rule\":{rule},\"potential\":{potential},"
            + $"\"passkey_uv_two_factor\":{setting},\"passkey_uv_counts_as_two_factor\":{counts}";
        if (session is { } v)
        {
            // Factor words come from a fixed list, so they need no escaping.
            json += $",\"factors\":[{string.Join(",", v.Factors.Select(f => $"\"{f}\""))}],\"level\":\"{LevelName(v.Level)}\",\"outcome\":\"{OutcomeName(v.Outcome)}\"";
        }
        return json + "}";
    }

    private static string LevelName(AuthenticationLevel level) => level switch
    {
        AuthenticationLevel.TwoFactor => "two_factor",
        AuthenticationLevel.OneFactor => "one_factor",
        _ => "none",
    };

    private static string OutcomeName(AuthzOutcome outcome) => outcome switch
    {
        AuthzOutcome.Authorized => "authorized",
        AuthzOutcome.Forbidden => "forbidden",
        _ => "unauthorized",
    };

    private static void WritePasskeyAndSession(TextWriter stdout, AccessDecision decision, bool globalUv, SessionVerdict? session)
    {
        if (decision.Policy == Policy.TwoFactor)
        {
            var counts = decision.PasskeyUv.CountsAsTwoFactor(globalUv) ? "yes" : "no";
            var why = PasskeyUvTwoFactorNames.Format(decision.PasskeyUv) is { } setting
                ? $"rule #{decision.Rule} sets '{PasskeyUvTwoFactorNames.Key}: {setting}'"
                : $"'webauthn.experimental_enable_passkey_uv_two_factors' is {(globalUv ? "true" : "false")}";
            stdout.WriteLine($"A user-verified passkey (UV) alone satisfies this two_factor: {counts} ({why}). A passkey without UV never does.");
        }
        if (session is { } v)
        {
            var what = v.Outcome switch
            {
                AuthzOutcome.Authorized => "authorized: the request is forwarded (200)",
                AuthzOutcome.Forbidden => "forbidden (403)",
                _ => "not enough: the user is sent to the portal (302, or 401 for scripts)",
            };
            stdout.WriteLine($"A session with {string.Join(" + ", v.Factors)} has level {LevelName(v.Level)} for this rule: {what}.");
        }
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
        if (target.IsAmbiguous)
        {
            // The rules below are shown for the canonical reading; the decision is the strictest over all of them.
            stdout.WriteLine($"Other backends read this path as {string.Join(", ", target.Readings.Skip(1).Select(r => $"'{r.Path}'"))}: "
                + "the strictest decision among the readings applies (access_control.ambiguous_paths).");
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
                { Matched: false, IdentityMismatch: { } why } => $"no match: '{e.FailedCriterion}' does not match this user: {why}",
                { Matched: false } => $"no match: '{e.FailedCriterion}' does not match",
                _ when e.Rule != decision.Rule => e.Potential ? "potential match, but an earlier rule applies" : "match, but an earlier rule applies",
                { Potential: true } => "potential match: applies because the user is anonymous and the rule has subject criteria "
                    + $"({string.Join(", ", e.SubjectCriteria.Select(c => $"'{c}'"))})",
                _ => "match: applies",
            };
            var marker = e.Rule == decision.Rule ? "*" : " ";
            var passkey = PasskeyUvTwoFactorNames.Format(e.PasskeyUv) is { } setting ? $"  [{PasskeyUvTwoFactorNames.Key}: {setting}]" : "";
            stdout.WriteLine($"{marker} rule #{e.Rule,-4} {PolicyNames.Format(e.Policy),-10}  {status}{passkey}");
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
