using System.Diagnostics;
using System.Net;
using System.Text;
using Portal.Tests.Support;

namespace Portal.Tests.Cli;

/// <summary>
/// The real <c>portal</c> executable (or a shell command that runs it) as a child process, as an admin starts it;
/// its output is collected, and disposing kills it if it still runs.
/// </summary>
internal sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();

    private PortalProcess(Process process)
    {
        _process = process;
        Stdout = PumpAsync(process.StandardOutput);
        Stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>What the process has written to stdout so far (while it runs).</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    private async Task<string> PumpAsync(StreamReader reader)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (_outputLock)
            {
                _output.Append(buffer, 0, read);
            }
        }
        return Output;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything written to stdout, once the process has exited.</summary>
    public Task<string> Stdout { get; }

    /// <summary>Everything written to stderr, once the process has exited.</summary>
    public Task<string> Stderr { get; }

    /// <summary><c>dotnet portal.dll</c> with <paramref name="args"/>, the portal built next to the tests.</summary>
    public static ProcessStartInfo Command(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "portal.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return start;
    }

    /// <summary>Starts <paramref name="start"/> with its output redirected and without the caller's <c>PORTAL_CONFIG</c>.</summary>
    public static PortalProcess Start(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment.Remove("PORTAL_CONFIG");
        return new PortalProcess(Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start"));
    }

    /// <summary>Runs <c>portal</c> with <paramref name="args"/> to its exit (at most 60 s).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        await using var portal = Start(Command(args));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await portal._process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("portal did not exit within 60 s");
        }
        return (portal.ExitCode, await portal.Stdout, await portal.Stderr);
    }

    /// <summary>
    /// Sends <paramref name="request"/> until an HTTP answer comes (connections are refused while the portal starts)
    /// and returns its status; fails at once if the process exits first.
    /// </summary>
    public async Task<HttpStatusCode> FirstAnswerAsync(Func<Task<HttpResponseMessage>> request, TimeSpan limit)
    {
        HttpStatusCode status = default;
        await Eventually.UntilAsync("an HTTP answer from the portal process", async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the portal process exited with code {_process.ExitCode} before answering:\n{await Stderr}");
            }
            using var response = await request();
            status = response.StatusCode;
            return true;
        }, limit, retryOn: e => e is HttpRequestException);
        return status;
    }

    /// <summary>Sends a signal (<c>HUP</c>, <c>TERM</c>) to the process, as <c>kill -s</c> does.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM, as systemd and Docker stop a service, and waits (at most 30 s) for the exit.</summary>
    public async Task TerminateAsync()
    {
        await SignalAsync("TERM");
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(limit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        await Task.WhenAll(Stdout, Stderr);
        _process.Dispose();
    }
}
