namespace Portal.Configuration;

internal sealed class FileSystemNotifierOptions
{
    public string Filename { get; set; } = "";
}
