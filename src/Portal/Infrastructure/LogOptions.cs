namespace Portal.Infrastructure;

internal sealed class LogOptions
{
    public string Level { get; set; } = "info";
    public string Format { get; set; } = "text";
    public string FilePath { get; set; } = "";
    public bool KeepStdout { get; set; }
}
