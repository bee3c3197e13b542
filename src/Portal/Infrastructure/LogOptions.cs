using System.ComponentModel;
using Portal.Configuration;

namespace Portal.Infrastructure;

internal sealed class LogOptions
{
    [Description("Least severe level written.")]
    [ConfigValues("error", "warn", "info", "debug", "trace")]
    public string Level { get; init; } = "info";
    [Description("text (one line per event, key=value) or json.")]
    [ConfigValues("text", "json")]
    public string Format { get; init; } = "text";
    [ConfigPath]
    [Description("Also write logs to this file; empty writes to stdout only.")]
    public string FilePath { get; init; } = "";
    [Description("Keep writing to stdout when file_path is set.")]
    public bool KeepStdout { get; init; }
}
