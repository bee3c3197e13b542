using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Notification;
using Portal.Session;
using Portal.Tests.Support;

namespace Portal.Tests.Notification;

[Trait("Category", "Integration")]
public sealed class UserEventNotifierTests
{
    [Fact]
    public async Task A_credential_change_is_mailed_to_the_users_first_address_through_the_configured_notifier()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var events = portal.Host.App.Services.GetRequiredService<IUserEventNotifier>();
        var session = new UserSession { Username = "john", DisplayName = "John Doe", Emails = ["john@example.com", "jd@example.org"] };

        var sent = await events.NotifyAsync(session, UserEvent.SecondFactorAdded, "Security key 'YubiKey 5'", IPAddress.Parse("192.0.2.9"), "example.com", CancellationToken.None);

        Assert.True(sent);
        var mail = await portal.Smtp.WaitForMailAsync();
        Assert.Equal(["john@example.com"], mail.Recipients);
        Assert.Equal("[Portal] Second Factor Method Added", mail.Message.Subject);
        Assert.Contains("Security key 'YubiKey 5'", mail.Text, StringComparison.Ordinal);
        Assert.Contains("192.0.2.9", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Security key &#x27;YubiKey 5&#x27;", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_failure_is_reported_as_not_sent_instead_of_failing_the_change()
    {
        var smtp = await SmtpServer.StartAsync();
        await using var host = await PortalTestHost.StartAsync($"notifier:\n  filesystem: ~\n  smtp:\n    address: '{smtp.Address}'\n    sender: 'portal@example.com'\n    disable_require_tls: true\n");
        await smtp.DisposeAsync();
        var events = host.App.Services.GetRequiredService<IUserEventNotifier>();
        var session = new UserSession { Username = "john", DisplayName = "John Doe", Emails = ["john@example.com"] };

        Assert.False(await events.NotifyAsync(session, UserEvent.SecondFactorRemoved, "Security key 'old'", IPAddress.Loopback, "example.com", CancellationToken.None));
        Assert.False(await events.NotifyAsync(new UserSession { Username = "nomail" }, UserEvent.SecondFactorRemoved, "x", IPAddress.Loopback, "example.com", CancellationToken.None));
    }
}
