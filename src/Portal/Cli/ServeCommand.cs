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
            var files = CliConfig.Files(parsed, Configuration.ConfigLoader.ProcessEnvironment());
            await using var app = await PortalApp.BuildAsync(config.Options, builder => ConfigReloader.Register(builder.Services, files, config.Options));
            if (config.Options.Gateway.Routes.Count == 0)
            {
                await stdout.WriteLineAsync($"Portal listening on {config.Options.Server.Address}");
                await app.RunAsync();
                return 0;
            }
            // Portal and gateway in one process: the gateway decides by calling the portal's authz handler directly.
            await using var gateway = Gateway.GatewayApp.BuildInProcess(config.Options, app.Services);
            app.Services.GetRequiredService<ConfigReloader>().AttachGateway(routes => Gateway.GatewayApp.ReplaceRoutes(gateway, routes));
            await app.StartAsync();
            await gateway.StartAsync();
            await stdout.WriteLineAsync($"Portal listening on {config.Options.Server.Address}, gateway on {config.Options.Gateway.Address}");
            await Task.WhenAny(app.WaitForShutdownAsync(), gateway.WaitForShutdownAsync());
            await gateway.StopAsync();
            await app.StopAsync();
            return 0;
        }
        catch (PortalApp.StartupException e)
        {
            await stderr.WriteLineAsync($"Error: {e.Message}");
            return 1;
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await stderr.WriteLineAsync($"Error: cannot listen on {config.Options.Server.Address}{(config.Options.Gateway.Routes.Count > 0 ? $" or {config.Options.Gateway.Address}" : "")}: {e.Message}");
            return 1;
        }
    }
}
