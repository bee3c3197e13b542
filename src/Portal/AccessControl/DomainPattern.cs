using System.Globalization;

namespace Portal.AccessControl;

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
