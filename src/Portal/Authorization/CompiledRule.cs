using System.Net;
using System.Text.RegularExpressions;

namespace Portal.Authorization;

/// <summary>One rule, ready to match. Criteria are ANDed; within a criterion any entry may match; empty matches all.</summary>
internal sealed class CompiledRule
{
    public const string DomainCriterion = "domain";
    public const string ResourcesCriterion = "resources";
    public const string QueryCriterion = "query";
    public const string MethodsCriterion = "methods";
    public const string NetworksCriterion = "networks";
    public const string SubjectCriterion = "subject";

    public required int Number { get; init; }
    public required Policy Policy { get; init; }
    public required DomainPattern[] Domains { get; init; }
    public required DomainRegex[] DomainRegexes { get; init; }
    public required Regex[] Resources { get; init; }
    public required QueryTerm[][] Query { get; init; }
    public required string[] Methods { get; init; }
    public required IPNetwork[] Networks { get; init; }
    public required SubjectTerm[][] Subjects { get; init; }

    /// <summary><c>passkey_uv_two_factor</c>; not a criterion: it only travels with the decision.</summary>
    public PasskeyUvTwoFactor PasskeyUv { get; init; }

    /// <summary>The rule depends on who the user is, so an anonymous user only "potentially" matches it.</summary>
    public bool HasSubjects => Subjects.Length > 0 || Domains.Any(d => d.HasSubject) || DomainRegexes.Any(r => r.HasSubject);

    /// <summary>The first criterion that fails, in Authelia's order, or null when the rule matches.</summary>
    public string? FirstMismatch(Subject subject, AccessTarget target)
    {
        var anonymous = subject.IsAnonymous;
        if (!MatchesDomain(subject, anonymous, target.Host))
        {
            return DomainCriterion;
        }
        if (!MatchesResources(target.PathAndQuery))
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
        if (d.Kind == DomainKind.Exact)
        {
            return string.Equals(host, d.Value, StringComparison.Ordinal);
        }
        // host = prefix + "." + suffix with a non-empty prefix.
        if (host.Length <= d.Value.Length + 1 || !host.EndsWith(d.Value, StringComparison.Ordinal)
            || host[host.Length - d.Value.Length - 1] != '.')
        {
            return false;
        }
        if (d.Kind == DomainKind.Wildcard || anonymous)
        {
            return true;
        }
        var prefix = host.AsSpan(0, host.Length - d.Value.Length - 1);
        if (d.Kind == DomainKind.User)
        {
            return subject.Username is { } user && prefix.Equals(user, StringComparison.OrdinalIgnoreCase);
        }
        foreach (var g in subject.Groups)
        {
            if (prefix.Equals(g, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private bool MatchesResources(string pathAndQuery)
    {
        if (Resources.Length == 0)
        {
            return true;
        }
        foreach (var r in Resources)
        {
            if (r.IsMatch(pathAndQuery))
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

/// <summary><c>user:NAME</c> or <c>group:NAME</c>; exact and case-sensitive, as in Authelia.</summary>
internal readonly record struct SubjectTerm(bool IsGroup, string Name)
{
    public bool IsMatch(Subject subject) =>
        IsGroup ? subject.Groups.Contains(Name, StringComparer.Ordinal) : string.Equals(subject.Username, Name, StringComparison.Ordinal);
}

internal sealed class QueryTerm(QueryOperator op, string key, string? value, Regex? pattern)
{
    public QueryOperator Operator { get; } = op;
    public string Key { get; } = key;

    /// <summary>Go's <c>Query().Get</c>: the first value, <c>""</c> when the key is absent.</summary>
    public bool IsMatch(IReadOnlyDictionary<string, string> query)
    {
        var present = query.TryGetValue(Key, out var actual);
        actual ??= "";
        return Operator switch
        {
            QueryOperator.Present => present,
            QueryOperator.Absent => !present,
            QueryOperator.Equal => string.Equals(actual, value, StringComparison.Ordinal),
            QueryOperator.NotEqual => !present || !string.Equals(actual, value, StringComparison.Ordinal),
            QueryOperator.Pattern => pattern!.IsMatch(actual),
            QueryOperator.NotPattern => !present || !pattern!.IsMatch(actual),
            _ => false,
        };
    }
}

/// <summary>A <c>domain_regex</c>; named groups <c>User</c>/<c>Group</c> tie the captured text to the subject.</summary>
internal sealed class DomainRegex
{
    private readonly Regex _regex;
    private readonly string? _userGroup;
    private readonly string? _groupGroup;

    public DomainRegex(Regex regex)
    {
        _regex = regex;
        _userGroup = AclRegex.FindGroup(regex, "User");
        _groupGroup = AclRegex.FindGroup(regex, "Group");
    }

    public bool HasSubject => _userGroup is not null || _groupGroup is not null;

    public bool IsMatch(string host, Subject subject, bool anonymous)
    {
        if (!HasSubject || anonymous)
        {
            return _regex.IsMatch(host);
        }
        var m = _regex.Match(host);
        if (!m.Success)
        {
            return false;
        }
        if (_userGroup is not null)
        {
            var user = m.Groups[_userGroup];
            if (!user.Success || subject.Username is null || !user.ValueSpan.Equals(subject.Username, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        if (_groupGroup is not null)
        {
            var group = m.Groups[_groupGroup];
            if (!group.Success || !subject.Groups.Any(g => group.ValueSpan.Equals(g, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }
        return true;
    }
}
