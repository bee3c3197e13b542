using System.Globalization;
using Portal.Cli;
using Portal.Tests.Support;

namespace Portal.Tests.Cli;

/// <summary><c>portal serve</c> with <c>storage.postgres</c> naming a server that does not answer: one clear line, exit 1.</summary>
public sealed class PostgresServeStartupTests
{
    [Fact]
    public async Task Serve_with_an_unreachable_postgres_exits_1_naming_the_database()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        var config = StorageCommandRun.WriteConfig(dir, string.Create(CultureInfo.InvariantCulture, $"""
            storage:
              encryption_key: a-very-long-encryption-key-for-tests
              postgres:
                address: 'tcp://127.0.0.1:{port}'
                database: portal
                username: portal
                timeout: 1s
            """));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await CliApp.RunAsync(["serve", "--config", config], stdout, stderr);

        Assert.Equal(1, code);
        Assert.Contains($"\nError: storage: cannot open the PostgreSQL database '127.0.0.1:{port}/portal' (schema 'public'):", stderr.ToString(), StringComparison.Ordinal);
    }
}
