using System.Globalization;
using Portal.Demo;
using Portal.Infrastructure;

namespace Portal.Cli;

/// <summary>
/// <c>portal demo [--port 9080] [--state-dir .portal/demo]</c>: the README's first command. Starts the portal, the
/// gateway and a protected demo app on loopback, then says exactly what to open and how to sign in.
/// </summary>
internal static class DemoCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArgs.Parse(args, ["port", "state-dir"]);
        if (parsed.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        }
        var port = DemoHost.DefaultPort;
        if (parsed.Value("port") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new CliUsageException($"option --port must be a port number from 1 to 65535, not '{text}'");
        }
        var stateDirectory = parsed.Value("state-dir") ?? DemoHost.DefaultStateDirectory;

        DemoHost demo;
        try
        {
            demo = await DemoHost.StartAsync(port, stateDirectory);
        }
        catch (PortalApp.StartupException e)
        {
            await stderr.WriteLineAsync($"Error: {e.Message}");
            return 1;
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await stderr.WriteLineAsync($"Error: port {port} on 127.0.0.1 is already in use ({e.Message}). Add '--port {(port == 65535 ? 9081 : port + 1)}' to the command to use another one.");
            return 1;
        }
        await using (demo)
        {
            await stdout.WriteLineAsync(Banner(demo));
            await stdout.FlushAsync();
            await demo.WaitForShutdownAsync();
        }
        return 0;
    }

    internal static string Banner(DemoHost demo) => $"""

        Portal demo is running. Open {demo.AppUrl} in your browser
        (Chromium, Chrome, Edge or Firefox: they resolve *.localhost to this machine; http://localhost:{demo.Port.ToString(CultureInfo.InvariantCulture)}/ goes there too).

          Sign in as:        demo / {DemoHost.Password}   (or guest / {DemoHost.Password})
          Public page:       {demo.AppUrl}public       (bypass: anyone)
          One-factor page:   {demo.AppUrl}one-factor   (one_factor: password)
          Two-factor page:   {demo.AppUrl}two-factor   (two_factor: password, then a security key or passkey)
          Portal:            {demo.PortalUrl}            (sign in, sign out; /settings for security keys)

          One-time codes are not emailed: each message is written to
            {demo.NotificationFile}
          Configuration:     {demo.ConfigFile}
          Users:             {demo.UsersFile}
          Delete {demo.StateDirectory} to start over (it also holds the generated secrets and the database).

        Press Ctrl+C to stop.
        """;
}
