using Portal.Configuration;
using Portal.WebAuthn;

namespace Portal.AccessControl;

/// <summary>
/// Checks <c>access_control</c> (and the named networks it uses) the way Authelia does, reporting every problem with
/// its YAML path. What passes here compiles with <see cref="AccessControlEngine.Compile"/>.
/// </summary>
internal static class AccessControlValidator
{
    private const string Section = "access_control";

    /// <summary>RFC 7231, RFC 5789 (PATCH) and RFC 4918 (WebDAV) methods, as Authelia accepts.</summary>
    private static readonly string[] KnownMethods =
    [
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE",
        "PATCH",
        "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK",
    ];

    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        var acl = options.AccessControl;
        var names = ValidateNetworks(options.Definitions, acl, diag);

        if (!PolicyNames.TryParse(acl.DefaultPolicy, out var defaultPolicy))
        {
            diag.Error(Section, "default_policy", $"must be one of {PolicyNames.AllQuoted} but it's configured as '{acl.DefaultPolicy}'");
        }
        else if (acl.Rules.Count == 0)
        {
            if (defaultPolicy is Policy.Deny or Policy.Bypass)
            {
                diag.Error(Section, "default_policy",
                    $"must be '{PolicyNames.OneFactor}' or '{PolicyNames.TwoFactor}' when no rules are configured but it's configured as '{acl.DefaultPolicy}'");
            }
            else
            {
                diag.Warning(Section, $"no rules are configured, so the default policy '{acl.DefaultPolicy}' applies to every request");
            }
        }

        if (acl.AmbiguousPaths is not (AmbiguousPathsNames.Strictest or AmbiguousPathsNames.Refuse))
        {
            diag.Error(Section, "ambiguous_paths",
                $"must be '{AmbiguousPathsNames.Strictest}' or '{AmbiguousPathsNames.Refuse}' but it's configured as '{acl.AmbiguousPaths}'");
        }

        for (var i = 0; i < acl.Rules.Count; i++)
        {
            ValidateRule($"{Section}.rules[{i}]", acl.Rules[i], names, options.WebAuthn, diag);
        }
    }

    /// <summary>Checks both homes of named networks and returns every defined name.</summary>
    private static HashSet<string> ValidateNetworks(DefinitionsOptions definitions, AccessControlOptions acl, ConfigDiagnostics diag)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, networks) in definitions.Network)
        {
            names.Add(name);
            foreach (var n in networks)
            {
                if (!AclNetwork.TryParse(n, out _))
                {
                    diag.Error($"definitions.network.{name}", $"value '{n}' is not a valid IP address or CIDR network");
                }
            }
        }
        var legacy = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < acl.Networks.Count; i++)
        {
            var path = $"{Section}.networks[{i}]";
            var entry = acl.Networks[i];
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                diag.Error(path, "name", "is required");
            }
            else if (definitions.Network.ContainsKey(entry.Name))
            {
                diag.Error(path, "name", $"'{entry.Name}' is also defined in 'definitions.network': define each network once");
            }
            else if (!legacy.Add(entry.Name))
            {
                diag.Error(path, "name", $"'{entry.Name}' is defined more than once");
            }
            names.Add(entry.Name);
            foreach (var n in entry.Networks)
            {
                if (!AclNetwork.TryParse(n, out _))
                {
                    diag.Error(path, "networks", $"value '{n}' is not a valid IP address or CIDR network");
                }
            }
        }
        return names;
    }

    private static void ValidateRule(string path, AccessControlRuleOptions rule, HashSet<string> networkNames, WebAuthnOptions webauthn, ConfigDiagnostics diag)
    {
        if (rule.Domain.Count == 0 && rule.DomainRegex.Count == 0)
        {
            diag.Error(path, "one of the options 'domain' or 'domain_regex' is required");
        }
        var subjectDomain = ValidateDomains(path, rule.Domain, diag);
        var subjectRegex = ValidateDomainRegexes(path, rule.DomainRegex, diag);
        // Reported below, in the order the criteria are checked; here only whether one binds the user.
        var subjectResources = rule.Resources.Any(p => AclRegex.TryCompile(p, out var regex, out _) && new IdentityRegex(regex, p).HasSubject);

        var policyValid = false;
        var policy = Policy.Deny;
        if (string.IsNullOrEmpty(rule.Policy))
        {
            diag.Error(path, "policy", "is required");
        }
        else if (!(policyValid = PolicyNames.TryParse(rule.Policy, out policy)))
        {
            diag.Error(path, "policy", $"must be one of {PolicyNames.AllQuoted} but it's configured as '{rule.Policy}'");
        }
        // A bypass that depends on who the user is can't work: bypass never asks who the user is.
        if (policyValid && policy == Policy.Bypass)
        {
            if (rule.Subject.Count > 0)
            {
                diag.Error(path, "'policy' option 'bypass' is not supported when 'subject' option is configured");
            }
            if (subjectDomain)
            {
                diag.Error(path, "'policy' option 'bypass' is not supported when 'domain' option contains '{user}' or '{group}'");
            }
            if (subjectRegex)
            {
                diag.Error(path, "'policy' option 'bypass' is not supported when 'domain_regex' option contains the User or Group named groups");
            }
            // Beyond Authelia, which accepts it: an anonymous request would "potentially" match such a rule and
            // bypass never asks who the user is, so /bob/personal would be open to anyone.
            if (subjectResources)
            {
                diag.Error(path, "'policy' option 'bypass' is not supported when 'resources' option contains the User or Group named groups");
            }
        }

        ValidateSubjects(path, rule.Subject, diag);
        ValidateRuleNetworks(path, rule.Networks, networkNames, diag);
        ValidateResources(path, rule.Resources, diag);
        ValidateMethods(path, rule.Methods, diag);
        ValidateQuery(path, rule.Query, diag);
        ValidatePasskeyUv(path, rule.PasskeyUvTwoFactor, policyValid ? policy : null, webauthn, diag);
    }

    /// <summary><c>passkey_uv_two_factor</c> (beyond Authelia): only meaningful where the rule asks for two factors.</summary>
    private static void ValidatePasskeyUv(string path, string? value, Policy? policy, WebAuthnOptions webauthn, ConfigDiagnostics diag)
    {
        const string Key = PasskeyUvTwoFactorNames.Key;
        if (value is null)
        {
            return;
        }
        if (!PasskeyUvTwoFactorNames.TryParse(value, out var setting))
        {
            diag.Error(path, Key, $"must be '{PasskeyUvTwoFactorNames.Allow}' or '{PasskeyUvTwoFactorNames.Deny}' (or absent to follow "
                + $"'webauthn.experimental_enable_passkey_uv_two_factors') but it's configured as '{value}'");
            return;
        }
        if (policy is { } p && p != Policy.TwoFactor)
        {
            // Silently ignoring it would let an admin believe the rule is stricter (deny) or looser (allow) than it is.
            diag.Error(path, Key, $"is only valid with policy '{PolicyNames.TwoFactor}' but the policy is '{PolicyNames.Format(p)}': "
                + "it decides whether a user-verified passkey alone satisfies two_factor");
            return;
        }
        if (setting == PasskeyUvTwoFactor.Allow && !webauthn.EnablePasskeyLogin)
        {
            diag.Warning(path, Key, $"is '{PasskeyUvTwoFactorNames.Allow}' but has no effect while 'webauthn.enable_passkey_login' is false: "
                + "a passkey is then only ever used after the password");
        }
    }

    /// <summary>Returns whether a <c>{user}</c>/<c>{group}</c> domain is present.</summary>
    private static bool ValidateDomains(string path, IReadOnlyList<string> domains, ConfigDiagnostics diag)
    {
        var hasSubject = false;
        foreach (var raw in domains)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                diag.Error(path, "domain", "must not contain an empty value");
                continue;
            }
            if (PlaceholderProblem(raw) is { } problem)
            {
                diag.Error(path, "domain", $"value '{raw}' {problem}");
                continue;
            }
            var d = DomainPattern.Parse(raw);
            hasSubject |= d.HasSubject;
            if (d.Kind == DomainKind.Exact && d.Value.StartsWith('*'))
            {
                diag.Warning(path, "domain",
                    $"value '{raw}' starts with '*' but not '*.': it only matches that literal host; did you mean '*.{d.Value.TrimStart('*').TrimStart('.')}'?");
                continue;
            }
            if (d.Value.Length == 0 || !d.Value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                diag.Error(path, "domain",
                    $"value '{raw}' is not a valid domain: use 'host', '*.suffix', or '{{user}}' or '{{group}}' followed by the rest of the host "
                    + "('{user}.example.com', '{user}-files.example.com')");
            }
            else if (d.HasSubject && (d.Value.Contains("..", StringComparison.Ordinal) || d.Value.EndsWith('.')))
            {
                diag.Error(path, "domain", $"value '{raw}' is not a valid domain: it has an empty label");
            }
        }
        return hasSubject;
    }

    /// <summary>
    /// What Authelia's matcher could never match a host with: a placeholder elsewhere than at the start (Authelia
    /// reads it as a literal host), a second placeholder, an unknown one, or nothing after the placeholder (which
    /// would match the bare username as a host, and any host at all for an anonymous user).
    /// </summary>
    private static string? PlaceholderProblem(string raw)
    {
        var text = raw.Trim().ToLowerInvariant();
        var count = Occurrences(text, DomainPattern.UserPlaceholder) + Occurrences(text, DomainPattern.GroupPlaceholder);
        var atStart = text.StartsWith(DomainPattern.UserPlaceholder, StringComparison.Ordinal)
            || text.StartsWith(DomainPattern.GroupPlaceholder, StringComparison.Ordinal);
        const string Shape = "'{user}' or '{group}' starts the domain and the rest of the host follows it ('{user}.example.com', "
            + "'{group}-wiki.example.com'); use domain_regex for other shapes";
        if (count > 1)
        {
            return $"has more than one placeholder: {Shape}";
        }
        if (count == 1 && !atStart)
        {
            return $"has its placeholder after the start: {Shape}";
        }
        var rest = count == 1 ? DomainPattern.Parse(text).Value : text;
        if (rest.Contains('{', StringComparison.Ordinal) || rest.Contains('}', StringComparison.Ordinal))
        {
            return "has an unknown placeholder: only '{user}' and '{group}' exist";
        }
        if (count == 1 && rest.Length == 0)
        {
            return $"has nothing after the placeholder: {Shape}";
        }
        return null;
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    /// <summary>Returns whether a regex with a User or Group named group is present.</summary>
    private static bool ValidateDomainRegexes(string path, IReadOnlyList<string> patterns, ConfigDiagnostics diag)
    {
        var hasSubject = false;
        foreach (var pattern in patterns)
        {
            if (AclRegex.TryCompile(pattern, out var regex, out var error))
            {
                hasSubject |= new IdentityRegex(regex, pattern).HasSubject;
            }
            else
            {
                diag.Error(path, "domain_regex", $"value '{pattern}' {error}");
            }
        }
        return hasSubject;
    }

    private static void ValidateSubjects(string path, IReadOnlyList<IReadOnlyList<string>> subjects, ConfigDiagnostics diag)
    {
        foreach (var all in subjects)
        {
            if (all.Count == 0)
            {
                diag.Error(path, "subject", "must not contain an empty list");
            }
            foreach (var s in all)
            {
                var name = s.StartsWith("user:", StringComparison.Ordinal) ? s[5..]
                    : s.StartsWith("group:", StringComparison.Ordinal) ? s[6..]
                    : null;
                if (name is null)
                {
                    diag.Error(path, "subject", $"value '{s}' is invalid: it must start with 'user:' or 'group:'");
                }
                else if (name.Length == 0)
                {
                    diag.Error(path, "subject", $"value '{s}' is invalid: the name after the prefix is empty");
                }
            }
        }
    }

    private static void ValidateRuleNetworks(string path, IReadOnlyList<string> networks, HashSet<string> names, ConfigDiagnostics diag)
    {
        foreach (var n in networks)
        {
            if (!names.Contains(n) && !AclNetwork.TryParse(n, out _))
            {
                diag.Error(path, "networks", $"value '{n}' is not an IP address, a CIDR network or the name of a defined network");
            }
        }
    }

    private static void ValidateResources(string path, IReadOnlyList<string> resources, ConfigDiagnostics diag)
    {
        foreach (var pattern in resources)
        {
            if (!AclRegex.TryCompile(pattern, out _, out var error))
            {
                diag.Error(path, "resources", $"value '{pattern}' {error}");
            }
            else if (!AclRegex.WithoutLeadingOptions(pattern).StartsWith('^'))
            {
                diag.Warning(path, "resources",
                    $"value '{pattern}' is not anchored with '^': it can also match inside the query string (for example '/public' matches '/private?x=/public')");
            }
        }
    }

    private static void ValidateMethods(string path, IReadOnlyList<string> methods, ConfigDiagnostics diag)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in methods)
        {
            var m = raw.Trim().ToUpperInvariant();
            if (Array.IndexOf(KnownMethods, m) < 0)
            {
                diag.Error(path, "methods", $"must only contain the values '{string.Join("', '", KnownMethods)}' but '{raw}' is present");
            }
            else if (!seen.Add(m))
            {
                diag.Error(path, "methods", $"must have unique values but '{m}' is present more than once");
            }
        }
    }

    private static void ValidateQuery(string path, IReadOnlyList<IReadOnlyList<AccessControlQueryOptions>> query, ConfigDiagnostics diag)
    {
        for (var o = 0; o < query.Count; o++)
        {
            if (query[o].Count == 0)
            {
                diag.Error(path, "query", "must not contain an empty list");
            }
            for (var a = 0; a < query[o].Count; a++)
            {
                var q = query[o][a];
                var itemPath = $"{path}.query[{o}][{a}]";
                if (string.IsNullOrEmpty(q.Key))
                {
                    diag.Error(itemPath, "key", "is required");
                }
                if (!QueryOperators.TryParse(q.Operator, q.Value, out var op))
                {
                    diag.Error(itemPath, "operator", $"must be one of {QueryOperators.AllQuoted} but it's configured as '{q.Operator}'");
                    continue;
                }
                if (QueryOperators.NeedsValue(op) && q.Value is null)
                {
                    diag.Error(itemPath, "value", $"is required with operator '{q.Operator}'");
                }
                else if (!QueryOperators.NeedsValue(op) && q.Value is not null)
                {
                    diag.Error(itemPath, "value", $"must not be set with operator '{(q.Operator.Length == 0 ? "present" : q.Operator)}'");
                }
                else if (op is QueryOperator.Pattern or QueryOperator.NotPattern && !AclRegex.TryCompile(q.Value!, out _, out var error))
                {
                    diag.Error(itemPath, "value", $"'{q.Value}' {error}");
                }
            }
        }
    }
}
