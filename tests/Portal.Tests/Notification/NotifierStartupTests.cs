using Portal.Infrastructure;
using Portal.Tests.Support;

namespace Portal.Tests.Notification;

/// <summary>The portal refuses to start when its notifier cannot deliver, unless told not to check.</summary>
public sealed class NotifierStartupTests
{
    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_wrong_smtp_password_stops_the_portal_at_startup_with_the_reason()
    {
        await using var smtp = await SmtpServer.StartAsync(SmtpServerMode.ImplicitTls, "portal", "s3cret");
        var yaml = Smtp(smtp, "wrong");

        var e = await Assert.ThrowsAsync<PortalApp.StartupException>(() => PortalTestHost.StartAsync(yaml));

        Assert.StartsWith($"notifier: smtp: could not pass the startup check with {smtp.Address}: the server refused the login of 'portal'", e.Message, StringComparison.Ordinal);
        Assert.Contains("disable_startup_check", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Disable_startup_check_lets_the_portal_start_with_a_broken_notifier()
    {
        await using var smtp = await SmtpServer.StartAsync(SmtpServerMode.ImplicitTls, "portal", "s3cret");

        await using var host = await PortalTestHost.StartAsync(Smtp(smtp, "wrong") + "  disable_startup_check: true\n");

        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Client.GetAsync("/api/health")).StatusCode);
    }

    [Fact]
    public async Task A_broken_template_override_stops_the_portal_at_startup()
    {
        using var templates = new TempDirectory();
        templates.Write("Event.txt", "{{ .Nope }}");

        var e = await Assert.ThrowsAsync<PortalApp.StartupException>(() => PortalTestHost.StartAsync($"notifier:\n  template_path: '{templates.Path}'\n"));

        Assert.Contains("Event.txt': line 1: unknown field 'Nope'", e.Message, StringComparison.Ordinal);
    }

    private static string Smtp(SmtpServer smtp, string password) => $"""
        notifier:
          filesystem: ~
          smtp:
            address: '{smtp.Address}'
            sender: 'Portal <portal@example.com>'
            username: portal
            password: '{password}'
            tls:
              skip_verify: true

        """;
}
