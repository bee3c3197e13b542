namespace Portal.Cli;

internal static class ServeCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        _ = args; _ = stdout;
        return Task.FromResult(CliApp.Fail(stderr, "not implemented yet"));
    }
}
