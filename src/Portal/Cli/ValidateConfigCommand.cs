namespace Portal.Cli;

/// <summary><c>portal validate-config --config FILE</c>: every error at once, exit 1 if any.</summary>
internal static class ValidateConfigCommand
{
    public const string Success = "Configuration parsed and loaded successfully without errors.";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArgs.Parse(args, ["config"]);
        if (parsed.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        }
        var result = CliConfig.Load(parsed, stderr);
        if (!result.IsValid)
        {
            return 1;
        }
        stdout.WriteLine(Success);
        return 0;
    }
}
