using System.Globalization;
using System.Text;
using Portal.Tests.Support;

namespace Portal.Tests.Session;

/// <summary>
/// A real Redis primary, one replica and one Sentinel watching them (quorum 1, a primary is "down" after one second),
/// all on loopback with no persistence: enough for Sentinel to promote the replica when the primary is killed.
/// </summary>
internal sealed class RedisSentinelCluster : IDisposable
{
    public const string SentinelBinary = "/usr/bin/redis-sentinel";
    public const string Name = "portal-ha";

    private readonly TempDirectory _dir = new();
    private readonly List<RedisServerFixture> _servers = [];

    public RedisSentinelCluster()
    {
        try
        {
            Primary = Add(new RedisServerFixture());
            var replicaPort = LoopbackPort.Free();
            Replica = Add(new RedisServerFixture(replicaPort, RedisServerFixture.Binary,
            [
                "--port", Text(replicaPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--replicaof", "127.0.0.1", Text(Primary.Port),
            ]));
            var sentinelPort = LoopbackPort.Free();
            var config = Path.Combine(_dir.Path, "sentinel.conf");
            // Sentinel rewrites its own file, so it lives in a directory of its own.
            File.WriteAllText(config, $"""
                port {Text(sentinelPort)}
                bind 127.0.0.1
                daemonize no
                dir {_dir.Path}
                sentinel monitor {Name} 127.0.0.1 {Text(Primary.Port)} 1
                sentinel down-after-milliseconds {Name} 1000
                sentinel failover-timeout {Name} 5000
                sentinel parallel-syncs {Name} 1

                """);
            Sentinel = Add(new RedisServerFixture(sentinelPort, SentinelBinary, [config]));
            WaitUntil("the replica to sync and Sentinel to see it", () =>
                Info(Replica).Contains("master_link_status:up", StringComparison.Ordinal)
                && Encoding.ASCII.GetString(Sentinel.RawCommand("SENTINEL", "REPLICAS", Name)).Contains(Text(replicaPort), StringComparison.Ordinal));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public RedisServerFixture Primary { get; }

    public RedisServerFixture Replica { get; }

    public RedisServerFixture Sentinel { get; }

    /// <summary>The port Sentinel currently names as the primary.</summary>
    public int CurrentPrimaryPort()
    {
        var reply = Encoding.ASCII.GetString(Sentinel.RawCommand("SENTINEL", "GET-MASTER-ADDR-BY-NAME", Name));
        var lines = reply.Split("\r\n");
        return int.Parse(lines[^2], CultureInfo.InvariantCulture);
    }

    /// <summary>Blocks until every write so far reached the replica (a failover must not be what loses it).</summary>
    public void WaitForReplication()
    {
        var reply = Encoding.ASCII.GetString(Primary.RawCommand("WAIT", "1", "5000"));
        if (reply != ":1\r\n")
        {
            throw new InvalidOperationException($"the replica did not acknowledge the writes: {reply}");
        }
    }

    public void Dispose()
    {
        foreach (var server in Enumerable.Reverse(_servers))
        {
            server.Dispose();
        }
        _dir.Dispose();
    }

    private RedisServerFixture Add(RedisServerFixture server)
    {
        _servers.Add(server);
        return server;
    }

    private static string Info(RedisServerFixture server) => Encoding.ASCII.GetString(server.RawCommand("INFO", "replication"));

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void WaitUntil(string what, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return;
            }
            Thread.Sleep(100);
        }
        throw new InvalidOperationException($"timed out waiting for {what}");
    }
}
