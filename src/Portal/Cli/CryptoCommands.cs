namespace Portal.Cli;

internal static class CryptoCommands
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        _ = args; _ = stdout;
        return CliApp.Fail(stderr, "not implemented yet");
    }
}
