using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Portal.Tests.Support;

namespace Portal.Tests.Session;

/// <summary>
/// A real redis-server on a free loopback port, with no persistence. A missing binary fails the tests (never
/// skips them): the project's test script installs it with <c>apt-get install -y redis-server</c>.
/// </summary>
public sealed class RedisServerFixture : IDisposable
{
    public const string Binary = "/usr/bin/redis-server";
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(15);

    private readonly string _binary;
    private readonly IReadOnlyList<string> _arguments;
    private Process? _process;

    public RedisServerFixture()
        : this(LoopbackPort.Free(), Binary, null)
    {
    }

    /// <summary>
    /// A server of another kind or shape (a replica, a Sentinel): <paramref name="arguments"/> replace the default
    /// ones and must make it listen on <paramref name="port"/> at 127.0.0.1.
    /// </summary>
    internal RedisServerFixture(int port, string binary, IReadOnlyList<string>? arguments)
    {
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException(
                $"{binary} not found: the Redis session store tests need a real Redis. Install it with 'apt-get install -y redis-server redis-sentinel' (scripts/install-test-deps.sh).");
        }
        Port = port;
        _binary = binary;
        _arguments = arguments ??
        [
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
        ];
        Start();
    }

    public int Port { get; }

    /// <summary>The portal's <c>session</c> section for this server (a second config file over the test defaults).</summary>
    public string SessionYaml(string timeout = "1s") => SessionYaml(Port, timeout);

    /// <summary>
    /// <c>session.redis</c> at <paramref name="port"/> on loopback with the tests' shared secret;
    /// <paramref name="moreRedisYaml"/> goes under <c>redis:</c> (its keys indented by four spaces).
    /// </summary>
    public static string SessionYaml(int port, string timeout, string moreRedisYaml = "") => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"""
        session:
          secret: 'a-long-random-session-secret-for-tests'
          redis:
            host: '127.0.0.1'
            port: {port}
            timeout: '{timeout}'
        {moreRedisYaml}
        """);

    /// <summary>Starts redis-server on <see cref="Port"/> and waits until it answers PING.</summary>
    public void Start()
    {
        if (_process is { HasExited: false })
        {
            return;
        }
        var start = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in _arguments)
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        // Drain output so a chatty server never blocks on a full pipe.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitForPing();
    }

    /// <summary>Kills the server and waits for it to be gone.</summary>
    public void Stop()
    {
        if (_process is null)
        {
            return;
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>Sends one inline command and returns the raw reply (for inspecting what is stored).</summary>
    public byte[] RawCommand(params string[] args)
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, Port);
        using var stream = client.GetStream();
        var request = new StringBuilder().Append('*').Append(args.Length).Append("\r\n");
        foreach (var arg in args)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        }
        stream.Write(Encoding.UTF8.GetBytes(request.ToString()));
        var buffer = new byte[64 * 1024];
        var read = stream.Read(buffer);
        // A bulk reply ("$<n>\r\n<n bytes>\r\n") may arrive in several reads; keep reading until it is whole.
        var headerEnd = Array.IndexOf(buffer, (byte)'\n', 0, read);
        if (read > 0 && buffer[0] == (byte)'$' && headerEnd > 0 &&
            int.TryParse(Encoding.ASCII.GetString(buffer, 1, headerEnd - 2), out var length) && length >= 0)
        {
            var total = headerEnd + 1 + length + 2;
            while (read < total && read < buffer.Length)
            {
                var more = stream.Read(buffer, read, buffer.Length - read);
                if (more == 0)
                {
                    break;
                }
                read += more;
            }
        }
        return buffer[..read];
    }

    public void Dispose() => Stop();

    private void WaitForPing()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupLimit)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} on port {Port}");
            }
            try
            {
                if (Encoding.ASCII.GetString(RawCommand("PING")).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            Thread.Sleep(50);
        }
        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within {StartupLimit}");
    }
}
