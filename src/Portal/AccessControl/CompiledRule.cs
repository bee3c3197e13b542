using System.Net;
using System.Text.RegularExpressions;

namespace Portal.AccessControl;

/// <summary>One rule, ready to match. Criteria are ANDed; within a criterion any entry may match; empty matches all.</summary>
internal sealed class CompiledRule
{
    public const string DomainCriterion = "domain";
    public const string DomainRegexCriterion = "domain_regex";
    public const string ResourcesCriterion = "resources";
    public const string QueryCriterion = "query";
    public const string MethodsCriterion = "methods";
    public const string NetworksCriterion = "networks";
    public const string SubjectCriterion = "subject";

    public required int Number { get; init; }
    public required Policy Policy { get; init; }
    public required DomainPattern[] Domains { get; init; }
    public required IdentityRegex[] DomainRegexes { get; init; }
    public required IdentityRegex[] Resources { get; init; }
    public required QueryTerm[][] Query { get; init; }
    public required string[] Methods { get; init; }
    public required IPNetwork[] Networks { get; init; }
    public required SubjectTerm[][] Subjects { get; init; }

    /// <summary><c>passkey_uv_two_factor</c>; not a criterion: it only travels with the decision.</summary>
    public PasskeyUvTwoFactor PasskeyUv { get; init; }

    /// <summary>The rule depends on who the user is, so an anonymous user only "potentially" matches it.</summary>
    public bool HasSubjects => SubjectCriteria.Count > 0;

    /// <summary>
    /// The criteria that depend on who the user is: <c>domain</c> with <c>{user}</c>/<c>{group}</c>, <c>domain_regex</c>
    /// or <c>resources</c> with a User/Group named group, and <c>subject</c>. Empty for a rule that applies to anyone.
    /// </summary>
    public IReadOnlyList<string> SubjectCriteria => _subjectCriteria ??= [.. FindSubjectCriteria()];

    private string[]? _subjectCriteria;

    private IEnumerable<string> FindSubjectCriteria()
    {
        if (Domains.Any(d => d.HasSubject))
        {
            yield return DomainCriterion;
        }
        if (DomainRegexes.Any(r => r.HasSubject))
        {
            yield return DomainRegexCriterion;
        }
        if (Resources.Any(r => r.HasSubject))
        {
            yield return ResourcesCriterion;
        }
        if (Subjects.Length > 0)
        {
            yield return SubjectCriterion;
        }
    }

    /// <summary>The first criterion that fails, in Authelia's order, or null when the rule matches.</summary>
    public string? FirstMismatch(Subject subject, AccessTarget target)
    {
        var anonymous = subject.IsAnonymous;
        if (!MatchesDomain(subject, anonymous, target.Host))
        {
            return DomainCriterion;
        }
        if (!MatchesResources(subject, anonymous, target.PathAndQuery))
        {
            return ResourcesCriterion;
        }
        if (!MatchesQuery(target))
        {
            return QueryCriterion;
        }
        if (Methods.Length > 0 && Array.IndexOf(Methods, target.Method) < 0)
        {
            return MethodsCriterion;
        }
        if (!MatchesNetworks(subject.Ip))
        {
            return NetworksCriterion;
        }
        // An anonymous subject matches any subject criterion: the rule may apply once we know who it is.
        if (!anonymous && !MatchesSubjects(subject))
        {
            return SubjectCriterion;
        }
        return null;
    }

    private bool MatchesDomain(Subject subject, bool anonymous, string host)
    {
        if (Domains.Length == 0 && DomainRegexes.Length == 0)
        {
            return true;
        }
        foreach (var d in Domains)
        {
            if (MatchesDomain(d, subject, anonymous, host))
            {
                return true;
            }
        }
        foreach (var r in DomainRegexes)
        {
            if (r.IsMatch(host, subject, anonymous))
            {
                return true;
            }
        }
        return false;
    }

    private static bool MatchesDomain(DomainPattern d, Subject subject, bool anonymous, string host)
    {
        switch (d.Kind)
        {
            case DomainKind.Exact:
                return string.Equals(host, d.Value, StringComparison.Ordinal);
            case DomainKind.Wildcard:
                // host = prefix + "." + suffix with a non-empty prefix.
                return host.Length > d.Value.Length + 1 && host.EndsWith(d.Value, StringComparison.Ordinal)
                    && host[host.Length - d.Value.Length - 1] == '.';
        }
        // {user}/{group}: host = value + the rest written after the placeholder ('.example.com', '-files.example.com').
        if (!PlaceholderFits(d, host))
        {
            return false;
        }
        return anonymous || IsSubjectsValue(d, subject, host.AsSpan(0, host.Length - d.Value.Length));
    }

    /// <summary>The host ends with what follows the placeholder, after a non-empty value.</summary>
    private static bool PlaceholderFits(DomainPattern d, string host) =>
        host.Length > d.Value.Length && host.EndsWith(d.Value, StringComparison.Ordinal);

    /// <summary>The placeholder's value is the username (<c>{user}</c>) or one of the groups (<c>{group}</c>), case-insensitively.</summary>
    private static bool IsSubjectsValue(DomainPattern d, Subject subject, ReadOnlySpan<char> value)
    {
        if (d.Kind == DomainKind.User)
        {
            return subject.Username is { } user && value.Equals(user, StringComparison.OrdinalIgnoreCase);
        }
        foreach (var g in subject.Groups)
        {
            if (value.Equals(g, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// For <c>check-policy</c>: why <paramref name="criterion"/> failed when the cause is the user, not the request
    /// (the host or path has the right shape, but the part bound to <c>{user}</c>/<c>{group}</c> or to a User/Group
    /// named group is not this user's); null otherwise.
    /// </summary>
    public string? IdentityMismatch(Subject subject, AccessTarget target, string criterion)
    {
        if (subject.IsAnonymous)
        {
            return null;
        }
        IEnumerable<string?> reasons = criterion switch
        {
            DomainCriterion =>
                Domains.Where(d => d.HasSubject && PlaceholderFits(d, target.Host))
                    .Select(d => (string?)PlaceholderMismatch(d, subject, target.Host))
                    .Concat(DomainRegexes.Select(r => r.IdentityMismatch(target.Host, subject))),
            ResourcesCriterion => Resources.Select(r => r.IdentityMismatch(target.PathAndQuery, subject)),
            _ => [],
        };
        return reasons.FirstOrDefault(r => r is not null);
    }

    private static string PlaceholderMismatch(DomainPattern d, Subject subject, string host)
    {
        var value = host[..^d.Value.Length];
        return d.Kind == DomainKind.User
            ? $"'{d}' gives '{value}' for {DomainPattern.UserPlaceholder}, not the username '{subject.Username}'"
            : $"'{d}' gives '{value}' for {DomainPattern.GroupPlaceholder}, which is not one of the user's groups ({IdentityRegex.DescribeGroups(subject)})";
    }

    private bool MatchesResources(Subject subject, bool anonymous, string pathAndQuery)
    {
        if (Resources.Length == 0)
        {
            return true;
        }
        foreach (var r in Resources)
        {
            if (r.IsMatch(pathAndQuery, subject, anonymous))
            {
                return true;
            }
        }
        return false;
    }

    private bool MatchesQuery(AccessTarget target)
    {
        if (Query.Length == 0)
        {
            return true;
        }
        var values = target.QueryFirstValues;
        foreach (var all in Query)
        {
            if (Array.TrueForAll(all, t => t.IsMatch(values)))
            {
                return true;
            }
        }
        return false;
    }

    private bool MatchesNetworks(IPAddress? ip)
    {
        if (Networks.Length == 0)
        {
            return true;
        }
        if (ip is null)
        {
            return false;
        }
        ip = AclNetwork.Normalize(ip);
        foreach (var n in Networks)
        {
            if (n.Contains(ip))
            {
                return true;
            }
        }
        return false;
    }

    private bool MatchesSubjects(Subject subject)
    {
        if (Subjects.Length == 0)
        {
            return true;
        }
        foreach (var all in Subjects)
        {
            if (Array.TrueForAll(all, t => t.IsMatch(subject)))
            {
                return true;
            }
        }
        return false;
    }
}
