namespace Portal.Users;

internal sealed class FileSearchOptions
{
    public bool Email { get; init; }
    public bool CaseInsensitive { get; init; }
}
