namespace Portal.Users;

internal sealed class FileSearchOptions
{
    public bool Email { get; set; }
    public bool CaseInsensitive { get; set; }
}
