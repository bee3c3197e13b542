using System.Globalization;

namespace Portal.AccessControl;

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
