namespace Portal.Configuration;

internal sealed class FileSearchOptions
{
    public bool Email { get; set; }
    public bool CaseInsensitive { get; set; }
}
