using System.ComponentModel;
using Portal.Configuration;

namespace Portal.Storage;

internal sealed class LocalStorageOptions
{
    [ConfigPath]
    [Description("The SQLite database file. Required.")]
    public string Path { get; init; } = "";
}
