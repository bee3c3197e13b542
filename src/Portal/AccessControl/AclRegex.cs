using System.Text;
using System.Text.RegularExpressions;

namespace Portal.AccessControl;

/// <summary>
/// Compiles admin-written regexes (<c>domain_regex</c>, <c>resources</c>, query <c>pattern</c>). Authelia's are Go RE2,
/// which runs in linear time; NonBacktracking gives the same guarantee here, so a hostile path can't stall a decision.
/// </summary>
internal static class AclRegex
{
    public const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    /// <summary>Go spells named groups <c>(?P&lt;name&gt;...)</c>; .NET wants <c>(?&lt;name&gt;...)</c>. Escapes and classes are left alone.</summary>
    public static string TranslateGoSyntax(string pattern)
    {
        if (!pattern.Contains("(?P<", StringComparison.Ordinal))
        {
            return pattern;
        }
        var sb = new StringBuilder(pattern.Length);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                sb.Append(c).Append(pattern[++i]);
                continue;
            }
            if (inClass)
            {
                inClass = c != ']';
                sb.Append(c);
                continue;
            }
            if (c == '[')
            {
                inClass = true;
                sb.Append(c);
                // A ']' right after '[' or '[^' is a literal, not the end of the class.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    sb.Append(pattern[++i]);
                }
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    sb.Append(pattern[++i]);
                }
                continue;
            }
            if (c == '(' && pattern.AsSpan(i).StartsWith("(?P<", StringComparison.Ordinal))
            {
                sb.Append("(?<");
                i += 3;
                continue;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Translates and compiles; the error says why a pattern is refused (syntax, or not linear-time).</summary>
    public static bool TryCompile(string pattern, out Regex regex, out string error)
    {
        regex = null!;
        try
        {
            regex = new Regex(TranslateGoSyntax(pattern), Options);
            error = "";
            return true;
        }
        catch (NotSupportedException)
        {
            error = "uses a construct that cannot run in linear time (backreference, lookahead/lookbehind, atomic group or conditional)";
            return false;
        }
        catch (ArgumentException e)
        {
            error = $"is not a valid regular expression: {e.Message}";
            return false;
        }
    }

    /// <summary>The pattern without leading inline options such as <c>(?i)</c>, which do not move where it is anchored.</summary>
    public static string WithoutLeadingOptions(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var rest = pattern.AsSpan();
        while (rest.StartsWith("(?") && rest.IndexOf(')') is var close and > 2 && IsOptionLetters(rest[2..close]))
        {
            rest = rest[(close + 1)..];
        }
        return rest.ToString();
    }

    private static bool IsOptionLetters(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ('i' or 'm' or 's' or 'n' or 'x' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    public static Regex Compile(string pattern) =>
        TryCompile(pattern, out var regex, out var error) ? regex : throw new ArgumentException($"regex '{pattern}' {error}", nameof(pattern));

    /// <summary>The actual spelling of a named group, matched case-insensitively (<c>User</c>, <c>user</c>).</summary>
    public static string? FindGroup(Regex regex, string name) =>
        regex.GetGroupNames().FirstOrDefault(g => string.Equals(g, name, StringComparison.OrdinalIgnoreCase));
}
