using System.Buffers;
using System.Net;
using Portal.Configuration;

namespace Portal.AccessControl;

/// <summary>
/// The compiled <c>access_control</c> section. <see cref="Decide"/> is pure and thread-safe: the first rule whose every
/// criterion matches wins, else <c>default_policy</c>. Rules are pre-indexed by domain so a decision touches only the
/// rules that can apply to the host, in their original order.
/// </summary>
internal sealed class AccessControlEngine
{
    private readonly CompiledRule[] _rules;
    private readonly Dictionary<string, int[]> _exact;
    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _suffixLookup;
    // Rules no index can narrow (domain_regex, no domain at all, or a placeholder followed by a single label such as
    // '{user}-files'): candidates for every host.
    private readonly int[] _always;

    private AccessControlEngine(Policy defaultPolicy, CompiledRule[] rules)
    {
        DefaultPolicy = defaultPolicy;
        _rules = rules;
        var exact = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var suffix = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var always = new List<int>();
        for (var i = 0; i < rules.Length; i++)
        {
            var rule = rules[i];
            if (rule.DomainRegexes.Length > 0 || rule.Domains.Length == 0 || rule.Domains.Any(d => d.Kind != DomainKind.Exact && d.SuffixKey is null))
            {
                always.Add(i);
                continue;
            }
            foreach (var d in rule.Domains)
            {
                // '*.example.com', '{user}.example.com' and '{user}-files.example.com' all sit under 'example.com'.
                AddOnce(d.Kind == DomainKind.Exact ? exact : suffix, d.SuffixKey ?? d.Value, i);
            }
        }
        _exact = exact.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        _suffixLookup = suffix.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        _always = [.. always];
    }

    public Policy DefaultPolicy { get; }

    public int RuleCount => _rules.Length;

    /// <summary>True when any rule or the default needs two factors (the portal offers no 2FA otherwise).</summary>
    public bool IsSecondFactorEnabled => DefaultPolicy == Policy.TwoFactor || _rules.Any(r => r.Policy == Policy.TwoFactor);

    /// <summary>Compiles options that <see cref="AccessControlValidator"/> accepted; throws <see cref="ArgumentException"/> otherwise.</summary>
    public static AccessControlEngine Compile(AccessControlOptions options, DefinitionsOptions definitions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(definitions);
        var named = NamedNetworks(options, definitions);
        var rules = new CompiledRule[options.Rules.Count];
        for (var i = 0; i < rules.Length; i++)
        {
            rules[i] = CompileRule(i + 1, options.Rules[i], named);
        }
        return new AccessControlEngine(PolicyNames.Parse(options.DefaultPolicy), rules) { RefuseAmbiguousPaths = options.AmbiguousPaths == AmbiguousPathsNames.Refuse };
    }

    /// <summary><c>access_control.ambiguous_paths: refuse</c>: part of the rule set, so a reload changes it with the rules.</summary>
    public bool RefuseAmbiguousPaths { get; private init; }

    /// <summary>
    /// The decision for <paramref name="target"/>; when its path reads differently to different backends
    /// (<see cref="AccessTarget.Readings"/>), the strictest decision among the readings, so no spelling of a URL
    /// reaches a looser rule than the app may route it to.
    /// </summary>
    public AccessDecision Decide(Subject subject, AccessTarget target)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(target);
        return target.Readings.Count == 1 ? DecideReading(subject, target) : Strictest(target.Readings.Select(r => DecideReading(subject, r)));
    }

    /// <summary>
    /// Of several decisions, the one that lets the fewest requests through: the higher policy; at the same policy a
    /// certain match over a potential one (a deny that applies is a 403, a potential one a login), and a rule that
    /// refuses user-verified passkeys as two factors over one that follows the global switch over one that allows them.
    /// </summary>
    internal static AccessDecision Strictest(IEnumerable<AccessDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        AccessDecision? strictest = null;
        foreach (var d in decisions)
        {
            if (strictest is null || Strictness(d).CompareTo(Strictness(strictest)) > 0)
            {
                strictest = d;
            }
        }
        return strictest ?? throw new ArgumentException("no decision", nameof(decisions));
    }

    private static (Policy, bool, int) Strictness(AccessDecision d) =>
        (d.Policy, !d.Potential, d.PasskeyUv switch { PasskeyUvTwoFactor.Deny => 2, PasskeyUvTwoFactor.Global => 1, _ => 0 });

    private AccessDecision DecideReading(Subject subject, AccessTarget target)
    {
        var host = target.Host;
        // Candidate lists: exact host, each proper label suffix (for *., {user}…, {group}…), and the always list.
        var maxLists = 2 + host.AsSpan().Count('.');
        var lists = ArrayPool<int[]>.Shared.Rent(maxLists);
        try
        {
            var count = 0;
            if (_always.Length > 0)
            {
                lists[count++] = _always;
            }
            if (_exact.TryGetValue(host, out var exact))
            {
                lists[count++] = exact;
            }
            for (var dot = host.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = host.IndexOf('.', dot + 1))
            {
                if (_suffixLookup.TryGetValue(host.AsSpan(dot + 1), out var bySuffix))
                {
                    lists[count++] = bySuffix;
                }
            }
            return count switch
            {
                0 => Default(),
                1 => FirstMatch(lists[0], subject, target),
                _ => FirstMatchMerged(lists.AsSpan(0, count), subject, target),
            };
        }
        finally
        {
            Array.Clear(lists, 0, maxLists);
            ArrayPool<int[]>.Shared.Return(lists);
        }
    }

    /// <summary>Every rule in order, unindexed: the reference the index must agree with.</summary>
    internal AccessDecision DecideLinear(Subject subject, AccessTarget target) =>
        Strictest(target.Readings.Select(r => DecideLinearReading(subject, r)));

    private AccessDecision DecideLinearReading(Subject subject, AccessTarget target)
    {
        foreach (var rule in _rules)
        {
            if (rule.FirstMismatch(subject, target) is null)
            {
                return Applied(rule, subject);
            }
        }
        return Default();
    }

    /// <summary>How every rule fares against the request, for <c>access-control check-policy</c>.</summary>
    public IReadOnlyList<RuleExplanation> Explain(Subject subject, AccessTarget target)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(target);
        var result = new List<RuleExplanation>(_rules.Length);
        foreach (var rule in _rules)
        {
            var failed = rule.FirstMismatch(subject, target);
            var potential = failed is null && subject.IsAnonymous && rule.HasSubjects;
            var why = failed is null ? null : rule.IdentityMismatch(subject, target, failed);
            result.Add(new RuleExplanation(rule.Number, rule.Policy, failed is null, potential, failed, rule.PasskeyUv)
            {
                IdentityMismatch = why,
                SubjectCriteria = rule.SubjectCriteria,
            });
        }
        return result;
    }

    private AccessDecision FirstMatch(int[] candidates, Subject subject, AccessTarget target)
    {
        foreach (var i in candidates)
        {
            if (_rules[i].FirstMismatch(subject, target) is null)
            {
                return Applied(_rules[i], subject);
            }
        }
        return Default();
    }

    /// <summary>K-way merge of ascending lists, so candidates are tried in config order; a rule in two lists is tried once.</summary>
    private AccessDecision FirstMatchMerged(Span<int[]> lists, Subject subject, AccessTarget target)
    {
        Span<int> positions = lists.Length <= 64 ? stackalloc int[lists.Length] : new int[lists.Length];
        var last = -1;
        while (true)
        {
            var best = int.MaxValue;
            var bestList = -1;
            for (var k = 0; k < lists.Length; k++)
            {
                var list = lists[k];
                if (positions[k] < list.Length && list[positions[k]] < best)
                {
                    best = list[positions[k]];
                    bestList = k;
                }
            }
            if (bestList < 0)
            {
                return Default();
            }
            positions[bestList]++;
            if (best == last)
            {
                continue;
            }
            last = best;
            if (_rules[best].FirstMismatch(subject, target) is null)
            {
                return Applied(_rules[best], subject);
            }
        }
    }

    private static AccessDecision Applied(CompiledRule rule, Subject subject)
    {
        var hasSubjects = rule.HasSubjects;
        return new AccessDecision(rule.Policy, rule.Number, subject.IsAnonymous && hasSubjects, hasSubjects, rule.PasskeyUv);
    }

    private AccessDecision Default() => new(DefaultPolicy, null, false, false);

    private static void AddOnce(Dictionary<string, List<int>> index, string key, int rule)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }
        if (list.Count == 0 || list[^1] != rule)
        {
            list.Add(rule);
        }
    }

    private static Dictionary<string, IReadOnlyList<string>> NamedNetworks(AccessControlOptions options, DefinitionsOptions definitions)
    {
        var named = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, networks) in definitions.Network)
        {
            named[name] = networks;
        }
        foreach (var legacy in options.Networks)
        {
            named[legacy.Name] = legacy.Networks;
        }
        return named;
    }

    private static CompiledRule CompileRule(int number, AccessControlRuleOptions rule, Dictionary<string, IReadOnlyList<string>> named)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in rule.Networks)
        {
            var texts = named.TryGetValue(entry, out var list) ? list : [entry];
            foreach (var text in texts)
            {
                networks.Add(AclNetwork.TryParse(text, out var network)
                    ? network
                    : throw new ArgumentException($"rule #{number}: '{text}' is not an IP, CIDR or defined network name", nameof(rule)));
            }
        }
        return new CompiledRule
        {
            Number = number,
            Policy = PolicyNames.Parse(rule.Policy),
            Domains = [.. rule.Domain.Select(DomainPattern.Parse)],
            DomainRegexes = [.. rule.DomainRegex.Select(IdentityRegex.Compile)],
            Resources = [.. rule.Resources.Select(IdentityRegex.Compile)],
            Query = [.. rule.Query.Select(all => all.Select(CompileQuery).ToArray())],
            Methods = [.. rule.Methods.Select(m => m.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal)],
            Networks = [.. networks],
            Subjects = [.. rule.Subject.Select(all => all.Select(CompileSubject).ToArray())],
            PasskeyUv = PasskeyUvTwoFactorNames.Parse(rule.PasskeyUvTwoFactor),
        };
    }

    private static QueryTerm CompileQuery(AccessControlQueryOptions q)
    {
        if (!QueryOperators.TryParse(q.Operator, q.Value, out var op))
        {
            throw new ArgumentException($"unknown query operator '{q.Operator}'", nameof(q));
        }
        var pattern = op is QueryOperator.Pattern or QueryOperator.NotPattern ? AclRegex.Compile(q.Value ?? "") : null;
        return new QueryTerm(op, q.Key, q.Value, pattern);
    }

    private static SubjectTerm CompileSubject(string s) =>
        s.StartsWith("user:", StringComparison.Ordinal) ? new SubjectTerm(false, s[5..])
        : s.StartsWith("group:", StringComparison.Ordinal) ? new SubjectTerm(true, s[6..])
        : throw new ArgumentException($"subject '{s}' must start with 'user:' or 'group:'", nameof(s));
}
