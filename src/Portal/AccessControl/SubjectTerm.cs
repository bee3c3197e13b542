using System.Net;
using System.Text.RegularExpressions;

namespace Portal.AccessControl;

/// <summary><c>user:NAME</c> or <c>group:NAME</c>; exact and case-sensitive, as in Authelia.</summary>
internal readonly record struct SubjectTerm(bool IsGroup, string Name)
{
    public bool IsMatch(Subject subject) =>
        IsGroup ? subject.Groups.Contains(Name, StringComparer.Ordinal) : string.Equals(subject.Username, Name, StringComparison.Ordinal);
}
