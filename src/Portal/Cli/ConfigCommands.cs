using Portal.Configuration;

namespace Portal.Cli;

/// <summary>
/// <c>portal config schema</c>: prints the configuration's JSON Schema, the same document shipped as
/// <c>config.schema.json</c>, for editors (the template's <c>yaml-language-server</c> comment points at it).
/// </summary>
internal static class ConfigCommands
{
    public static int Run(string[] args, TextWriter stdout) => args switch
    {
        ["schema"] => Schema(stdout),
        ["schema", var extra, ..] => throw new CliUsageException($"unexpected argument '{extra}'"),
        [var verb, ..] => throw new CliUsageException($"unknown command 'config {verb}' (expected schema)"),
        [] => throw new CliUsageException("'config' needs a subcommand: schema"),
    };

    private static int Schema(TextWriter stdout)
    {
        stdout.Write(ConfigSchema.GenerateText());
        return 0;
    }
}
