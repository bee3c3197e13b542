using Portal.Configuration;

namespace Portal.Infrastructure;

internal sealed class LogOptions
{
    public string Level { get; init; } = "info";
    public string Format { get; init; } = "text";
    [ConfigPath]
    public string FilePath { get; init; } = "";
    public bool KeepStdout { get; init; }
}
