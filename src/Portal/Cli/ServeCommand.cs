using Portal.Infrastructure;

namespace Portal.Cli;

/// <summary><c>portal serve --config FILE</c>: validate, then run until SIGTERM/SIGINT.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArgs.Parse(args, ["config"]);
        if (parsed.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        }
        var config = CliConfig.Load(parsed, stderr);
        if (!config.IsValid)
        {
            await stderr.WriteLineAsync("Can't continue due to the errors loading the configuration.");
            return 1;
        }
        try
        {
            await using var app = await PortalApp.BuildAsync(config.Options);
            await stdout.WriteLineAsync($"Portal listening on {config.Options.Server.Address}");
            await app.RunAsync();
            return 0;
        }
        catch (PortalApp.StartupException e)
        {
            await stderr.WriteLineAsync($"Error: {e.Message}");
            return 1;
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await stderr.WriteLineAsync($"Error: cannot listen on {config.Options.Server.Address}: {e.Message}");
            return 1;
        }
    }
}
