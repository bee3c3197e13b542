using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Portal.Tests.Proxies;

/// <summary>
/// A proxy server binary (nginx, caddy) run in the foreground as a child process. Startup waits until the port
/// accepts connections; if the process exits first or never listens, the exception carries its output and error
/// log so a broken config reads as the server's own message, never as a hang.
/// </summary>
internal sealed class ProxyProcess : IDisposable
{
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ProxyProcess(Process process) => _process = process;

    public static async Task<ProxyProcess> StartAsync(string binary, IEnumerable<string> args, string workingDirectory, int port,
        string? errorLog = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"{binary} not found: the proxy tests need the Debian package. Run scripts/install-test-deps.sh (as root).");
        }
        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        var proxy = new ProxyProcess(process);
        process.OutputDataReceived += (_, e) => proxy.Append(e.Data);
        process.ErrorDataReceived += (_, e) => proxy.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartupLimit;
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                throw proxy.Failure($"{Path.GetFileName(binary)} exited with code {process.ExitCode} during startup", errorLog);
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return proxy;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                proxy.Dispose();
                throw proxy.Failure($"{Path.GetFileName(binary)} did not listen on 127.0.0.1:{port} within {StartupLimit.TotalSeconds:0} s", errorLog);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private InvalidOperationException Failure(string what, string? errorLog)
    {
        var log = errorLog is not null && File.Exists(errorLog) ? File.ReadAllText(errorLog) : "";
        return new InvalidOperationException($"{what}.\n--- output ---\n{Output}\n--- error log ---\n{log}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
