using System.Net;
using Portal.Configuration;
using Portal.Infrastructure;
using Portal.Tests.Support;

namespace Portal.Tests.Configuration;

/// <summary>
/// What validate-config accepts, serve runs: the template sets every option Portal has, and the portal built from
/// it (addresses and paths moved to a temporary directory) starts and answers.
/// </summary>
public sealed class TemplateServesTests
{
    [Fact]
    public async Task The_configuration_template_that_validates_also_starts_the_portal()
    {
        var root = RepositoryFiles.Root;
        using var dir = new TempDirectory();
        var environment = new Dictionary<string, string>
        {
            ["PORTAL_SERVER_ADDRESS"] = "tcp://127.0.0.1:0/",
            ["PORTAL_AUTHENTICATION_BACKEND_FILE_PATH"] = Path.Combine(root, "src", "Portal", "Demo", "users_database.yml"),
            ["PORTAL_STORAGE_LOCAL_PATH"] = dir.File("db.sqlite3"),
            ["PORTAL_NOTIFIER_FILESYSTEM_FILENAME"] = dir.File("notification.txt"),
        };
        var loaded = ConfigLoader.Load([Path.Combine(root, "config.template.yml")], environment);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics.Errors));

        await using var app = await PortalApp.BuildAsync(loaded.Options);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(PortalApp.BoundAddresses(app)[0]) };
        using var health = await client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await app.StopAsync();
    }
}
