using System.ComponentModel;
namespace Portal.Users;

internal sealed class FileSearchOptions
{
    [Description("Allow signing in with an email address.")]
    public bool Email { get; init; }
    [Description("Match usernames case-insensitively.")]
    public bool CaseInsensitive { get; init; }
}
