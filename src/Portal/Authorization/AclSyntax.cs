using System.Globalization;

namespace Portal.Authorization;

internal enum DomainKind
{
    Exact,
    /// <summary><c>*.suffix</c>: any depth below the suffix, never the suffix itself.</summary>
    Wildcard,
    /// <summary><c>{user}.suffix</c>: the part before the suffix is the username.</summary>
    User,
    /// <summary><c>{group}.suffix</c>: the part before the suffix is one of the user's groups.</summary>
    Group,
}

/// <summary>One <c>domain</c> entry. <see cref="Value"/> is the exact host, or the suffix without its leading dot.</summary>
internal readonly record struct DomainPattern(DomainKind Kind, string Value)
{
    private static readonly IdnMapping Idn = new();

    /// <summary>Lower-cased, trailing dot dropped and IDN turned to punycode, so it compares with canonical hosts.</summary>
    public static DomainPattern Parse(string raw)
    {
        var text = raw.Trim().ToLowerInvariant();
        var (kind, rest) = text switch
        {
            _ when text.StartsWith("*.", StringComparison.Ordinal) => (DomainKind.Wildcard, text[2..]),
            _ when text.StartsWith("{user}.", StringComparison.Ordinal) => (DomainKind.User, text[7..]),
            _ when text.StartsWith("{group}.", StringComparison.Ordinal) => (DomainKind.Group, text[8..]),
            _ => (DomainKind.Exact, text),
        };
        if (rest.EndsWith('.'))
        {
            rest = rest[..^1];
        }
        if (!System.Text.Ascii.IsValid(rest))
        {
            try
            {
                rest = Idn.GetAscii(rest);
            }
            catch (ArgumentException)
            {
                // Left as written: it can never equal a canonical host, and the validator reports it.
            }
        }
        return new DomainPattern(kind, rest);
    }

    public bool HasSubject => Kind is DomainKind.User or DomainKind.Group;
}

internal enum QueryOperator
{
    Equal,
    NotEqual,
    Present,
    Absent,
    Pattern,
    NotPattern,
}

internal static class QueryOperators
{
    public const string AllQuoted = "'equal', 'not equal', 'present', 'absent', 'pattern', 'not pattern'";

    /// <summary>An empty operator defaults to <c>equal</c> when a value is given, else <c>present</c> (Authelia).</summary>
    public static bool TryParse(string? op, string? value, out QueryOperator result)
    {
        switch (op)
        {
            case null or "": result = value is null ? QueryOperator.Present : QueryOperator.Equal; return true;
            case "equal": result = QueryOperator.Equal; return true;
            case "not equal": result = QueryOperator.NotEqual; return true;
            case "present": result = QueryOperator.Present; return true;
            case "absent": result = QueryOperator.Absent; return true;
            case "pattern": result = QueryOperator.Pattern; return true;
            case "not pattern": result = QueryOperator.NotPattern; return true;
            default: result = default; return false;
        }
    }

    public static bool NeedsValue(QueryOperator op) => op is not (QueryOperator.Present or QueryOperator.Absent);
}
