using System.Globalization;

namespace Portal.Authorization;

internal enum DomainKind
{
    Exact,
    /// <summary><c>*.suffix</c>: any depth below the suffix, never the suffix itself.</summary>
    Wildcard,
    /// <summary><c>{user}rest</c>: the host is the username followed by the rest (<c>{user}.example.com</c>, <c>{user}-files.example.com</c>).</summary>
    User,
    /// <summary><c>{group}rest</c>: the host is one of the user's groups followed by the rest.</summary>
    Group,
}

/// <summary>
/// One <c>domain</c> entry. <see cref="Value"/> is the exact host; for <c>*.</c> the suffix without its leading dot;
/// for <c>{user}</c>/<c>{group}</c> everything after the placeholder (<c>.example.com</c>, <c>-files.example.com</c>),
/// which a matching host ends with, as in Authelia.
/// </summary>
internal readonly record struct DomainPattern(DomainKind Kind, string Value)
{
    public const string UserPlaceholder = "{user}";
    public const string GroupPlaceholder = "{group}";

    private static readonly IdnMapping Idn = new();

    /// <summary>Lower-cased, trailing dot dropped and IDN turned to punycode, so it compares with canonical hosts.</summary>
    public static DomainPattern Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var text = raw.Trim().ToLowerInvariant();
        var (kind, rest) = text switch
        {
            _ when text.StartsWith("*.", StringComparison.Ordinal) => (DomainKind.Wildcard, text[2..]),
            _ when text.StartsWith(UserPlaceholder, StringComparison.Ordinal) => (DomainKind.User, text[UserPlaceholder.Length..]),
            _ when text.StartsWith(GroupPlaceholder, StringComparison.Ordinal) => (DomainKind.Group, text[GroupPlaceholder.Length..]),
            _ => (DomainKind.Exact, text),
        };
        if (rest.EndsWith('.'))
        {
            rest = rest[..^1];
        }
        if (kind is DomainKind.User or DomainKind.Group)
        {
            // The text before the first dot ends the placeholder's label ('-files'); only the labels after it are a
            // domain name IDN applies to.
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            return new DomainPattern(kind, dot < 0 ? rest : rest[..(dot + 1)] + ToAscii(rest[(dot + 1)..]));
        }
        return new DomainPattern(kind, ToAscii(rest));
    }

    private static string ToAscii(string name)
    {
        if (System.Text.Ascii.IsValid(name))
        {
            return name;
        }
        try
        {
            return Idn.GetAscii(name);
        }
        catch (ArgumentException)
        {
            // Left as written: it can never equal a canonical host, and the validator reports it.
            return name;
        }
    }

    public bool HasSubject => Kind is DomainKind.User or DomainKind.Group;

    /// <summary>
    /// A label suffix every host this entry can match has (<c>example.com</c> for <c>*.example.com</c>,
    /// <c>{user}.example.com</c> and <c>{user}-files.example.com</c>), for the engine's index; null for an exact host
    /// and for a placeholder followed by a single label (<c>{user}-files</c>), which no suffix narrows.
    /// </summary>
    public string? SuffixKey => Kind switch
    {
        DomainKind.Wildcard => Value,
        DomainKind.User or DomainKind.Group when Value.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 => Value[(dot + 1)..],
        _ => null,
    };

    /// <summary>The entry as it would be written in the configuration (lower case, canonical).</summary>
    public override string ToString() => Kind switch
    {
        DomainKind.Wildcard => "*." + Value,
        DomainKind.User => UserPlaceholder + Value,
        DomainKind.Group => GroupPlaceholder + Value,
        _ => Value,
    };
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
