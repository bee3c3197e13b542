using Portal.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Cli;

/// <summary>
/// The configurations shipped for Docker compose load as the containers load them (secrets from the *_FILE variables
/// the compose files set): what an admin copies must pass validate-config, and so start.
/// </summary>
public sealed class DeployConfigurationTests
{
    [Theory]
    [InlineData("compose/configuration.yml")]
    [InlineData("compose/configuration-ha.yml")]
    public void A_shipped_compose_configuration_is_valid_with_the_secrets_compose_provides(string file)
    {
        using var dir = new TempDirectory();
        var secret = dir.Write("secret", new string('s', 64));
        var environment = new Dictionary<string, string>
        {
            ["PORTAL_SESSION_SECRET_FILE"] = secret,
            ["PORTAL_STORAGE_ENCRYPTION_KEY_FILE"] = secret,
            ["PORTAL_SESSION_REDIS_PASSWORD_FILE"] = secret,
        };
        if (file.EndsWith("-ha.yml", StringComparison.Ordinal))
        {
            environment["PORTAL_SESSION_REDIS_HIGH_AVAILABILITY_SENTINEL_PASSWORD_FILE"] = secret;
            environment["PORTAL_STORAGE_POSTGRES_PASSWORD_FILE"] = secret;
        }

        var loaded = ConfigLoader.Load([RepositoryFiles.Path(Path.Combine("deploy", file))], environment);

        Assert.Empty(loaded.Diagnostics.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void The_high_availability_configuration_shares_sessions_through_sentinel_and_storage_through_postgres()
    {
        using var dir = new TempDirectory();
        var secret = dir.Write("secret", new string('s', 64));
        var loaded = ConfigLoader.Load([RepositoryFiles.Path(Path.Combine("deploy", "compose", "configuration-ha.yml"))], new Dictionary<string, string>
        {
            ["PORTAL_SESSION_SECRET_FILE"] = secret,
            ["PORTAL_STORAGE_ENCRYPTION_KEY_FILE"] = secret,
            ["PORTAL_SESSION_REDIS_HIGH_AVAILABILITY_SENTINEL_PASSWORD_FILE"] = secret,
            ["PORTAL_STORAGE_POSTGRES_PASSWORD_FILE"] = secret,
        });

        Assert.Equal("portal", loaded.Options.Session.Redis?.HighAvailability?.SentinelName);
        Assert.Equal(new string('s', 64), loaded.Options.Session.Redis?.HighAvailability?.SentinelPassword);
        Assert.Equal(3, 1 + loaded.Options.Session.Redis!.HighAvailability!.Nodes.Count);
        Assert.Equal("tcp://postgres:5432", loaded.Options.Storage.Postgres?.Address);
        Assert.Null(loaded.Options.Storage.Local);
    }
}
