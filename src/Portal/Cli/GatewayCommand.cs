using Portal.Configuration;
using Portal.Gateway;

namespace Portal.Cli;

/// <summary>
/// <c>portal gateway --config FILE</c>: the gateway alone, asking a remote portal (<c>gateway.portal_url</c>) for
/// every decision. It reads only the <c>gateway</c>, <c>log</c>, <c>server.hsts</c> and session cookie names from the file, so the
/// portal's secrets need not be on the gateway's machine.
/// </summary>
internal static class GatewayCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArgs.Parse(args, ["config"]);
        if (parsed.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        }
        var environment = ConfigLoader.ProcessEnvironment();
        var (options, errors, warnings) = Load(CliConfig.Files(parsed, environment), environment);
        Print(stderr, "warning", warnings);
        if (errors.Count > 0)
        {
            Print(stderr, "error", errors);
            await stderr.WriteLineAsync("Can't continue due to the errors loading the configuration.");
            return 1;
        }
        try
        {
            await using var app = GatewayApp.BuildRemote(options);
            // A wrong portal_url must not start a gateway that waits for decisions from a page that is not one.
            using (var probeTimeout = new CancellationTokenSource(GatewayApp.PortalTimeout))
            {
                if (await app.Services.GetRequiredService<RemoteGatewayDecider>().ProbeAsync(probeTimeout.Token) is { } problem)
                {
                    await stderr.WriteLineAsync($"Error: {problem}");
                    return 1;
                }
            }
            await stdout.WriteLineAsync($"Gateway listening on {options.Gateway.Address}, asking the portal at {options.Gateway.PortalUrl}");
            await app.RunAsync();
            return 0;
        }
        catch (Infrastructure.PortalApp.StartupException e)
        {
            await stderr.WriteLineAsync($"Error: {e.Message}");
            return 1;
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await stderr.WriteLineAsync($"Error: cannot listen on {options.Gateway.Address}: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Loads the files as <c>portal serve</c> would, keeping only what concerns the gateway: file and syntax errors
    /// and the <c>gateway</c>, <c>log</c> and <c>server.hsts</c> sections (a gateway-only file has no users file or storage to check).
    /// </summary>
    internal static (PortalOptions Options, IReadOnlyList<ConfigDiagnostic> Errors, IReadOnlyList<ConfigDiagnostic> Warnings) Load(
        IReadOnlyList<string> files, IReadOnlyDictionary<string, string>? environment)
    {
        var loaded = ConfigLoader.Load(files, environment);
        var extra = new ConfigDiagnostics();
        GatewayValidator.ValidateStandalone(loaded.Options, extra);
        static bool Relevant(ConfigDiagnostic d) =>
            d.Path.Length == 0 || d.Path is "gateway" or "log" || d.Path.StartsWith("gateway.", StringComparison.Ordinal) || d.Path.StartsWith("gateway[", StringComparison.Ordinal)
            || d.Path.StartsWith("log.", StringComparison.Ordinal) || d.Path.StartsWith("server.hsts", StringComparison.Ordinal);
        var items = loaded.Diagnostics.Items.Where(Relevant).Concat(extra.Items).ToList();
        return (loaded.Options,
            items.Where(d => d.Severity == ConfigSeverity.Error).ToList(),
            items.Where(d => d.Severity == ConfigSeverity.Warning).ToList());
    }

    private static void Print(TextWriter writer, string kind, IReadOnlyList<ConfigDiagnostic> items)
    {
        if (items.Count == 0)
        {
            return;
        }
        writer.WriteLine($"Configuration has {items.Count} {kind}{(items.Count == 1 ? "" : "s")}:");
        foreach (var item in items)
        {
            writer.WriteLine($"  - {item}");
        }
    }
}
