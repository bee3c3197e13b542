using System.Net;
using System.Text.RegularExpressions;

namespace Portal.AccessControl;

/// <summary>
/// A <c>domain_regex</c> or <c>resources</c> pattern. The named groups <c>User</c> and <c>Group</c> bind the captured
/// text to the subject: it must equal the username, or one of the user's groups, case-insensitively; otherwise the
/// pattern does not match. For an anonymous subject the pattern alone decides: a potential match.
/// </summary>
internal sealed class IdentityRegex
{
    private readonly Regex _regex;
    private readonly string _pattern;
    private readonly string? _userGroup;
    private readonly string? _groupGroup;

    /// <param name="regex">the compiled <paramref name="pattern"/> (<see cref="AclRegex.TryCompile"/>)</param>
    /// <param name="pattern">the pattern as the admin wrote it, for messages</param>
    public IdentityRegex(Regex regex, string pattern)
    {
        _regex = regex;
        _pattern = pattern;
        _userGroup = AclRegex.FindGroup(regex, "User");
        _groupGroup = AclRegex.FindGroup(regex, "Group");
    }

    public bool HasSubject => _userGroup is not null || _groupGroup is not null;

    public bool IsMatch(string input, Subject subject, bool anonymous)
    {
        if (!HasSubject || anonymous)
        {
            return _regex.IsMatch(input);
        }
        var m = _regex.Match(input);
        return m.Success && Mismatch(m, subject) is null;
    }

    /// <summary>Why the pattern fails for this user although it matches <paramref name="input"/>; null when it doesn't match it at all, or matches.</summary>
    public string? IdentityMismatch(string input, Subject subject)
    {
        if (!HasSubject)
        {
            return null;
        }
        var m = _regex.Match(input);
        return m.Success ? Mismatch(m, subject) : null;
    }

    private string? Mismatch(Match m, Subject subject)
    {
        if (_userGroup is not null)
        {
            var user = m.Groups[_userGroup];
            if (!user.Success || subject.Username is null || !user.ValueSpan.Equals(subject.Username, StringComparison.OrdinalIgnoreCase))
            {
                return $"the User group of '{_pattern}' captured '{user.Value}', not the username '{subject.Username}'";
            }
        }
        if (_groupGroup is not null)
        {
            var group = m.Groups[_groupGroup];
            if (!group.Success || !subject.Groups.Any(g => group.ValueSpan.Equals(g, StringComparison.OrdinalIgnoreCase)))
            {
                return $"the Group group of '{_pattern}' captured '{group.Value}', which is not one of the user's groups ({DescribeGroups(subject)})";
            }
        }
        return null;
    }

    public static IdentityRegex Compile(string pattern) => new(AclRegex.Compile(pattern), pattern);

    public static string DescribeGroups(Subject subject) =>
        subject.Groups.Count == 0 ? "none" : string.Join(", ", subject.Groups.Select(g => $"'{g}'"));
}
