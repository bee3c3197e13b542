using Portal.Configuration;
using Portal.Tests.Configuration;

namespace Portal.Tests.Notification;

public sealed class NotifierValidationTests
{
    private static List<string> SmtpErrors(string smtpYaml)
    {
        var yaml = ConfigLoaderTests.MinimalYaml.Replace("notifier:\n  filesystem:\n    filename: /tmp/portal-notification.txt\n", "notifier:\n  smtp:\n" + smtpYaml, StringComparison.Ordinal);
        return ConfigLoader.LoadYaml(yaml).Diagnostics.Errors.Select(e => e.ToString()).ToList();
    }

    [Fact]
    public void A_complete_smtp_section_is_valid()
    {
        Assert.Empty(SmtpErrors("    address: 'submissions://mail.example.com'\n    sender: 'Portal <portal@example.com>'\n    username: portal\n    password: x\n"));
    }

    [Theory]
    [InlineData("    address: 'smtp://mail.example.com'\n    sender: 'not an address'\n", "notifier: smtp: option 'sender' 'not an address' must be an email address")]
    [InlineData("    address: 'smtp://user:pw@mail.example.com'\n    sender: 'portal@example.com'\n", "notifier: smtp: option 'address' must be a URL such as")]
    [InlineData("    address: 'submission://mail.example.com'\n    sender: 'portal@example.com'\n    disable_starttls: true\n", "notifier: smtp: option 'disable_starttls' must be false with a 'submission://' address")]
    [InlineData("    address: 'smtp://mail.example.com'\n    sender: 'portal@example.com'\n    disable_starttls: true\n", "notifier: smtp: option 'disable_starttls' is true, so the connection cannot be encrypted")]
    [InlineData("    address: 'smtp://mail.example.com'\n    sender: 'portal@example.com'\n    tls:\n      minimum_version: 'TLS1.0'\n", "notifier: smtp: tls: option 'minimum_version'")]
    public void Smtp_mistakes_are_reported_with_their_yaml_path(string yaml, string expectedStart)
    {
        var errors = SmtpErrors(yaml);
        Assert.True(errors.Any(e => e.StartsWith(expectedStart, StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [Fact]
    public void Plain_smtp_without_starttls_is_accepted_when_tls_is_explicitly_not_required()
    {
        Assert.Empty(SmtpErrors("    address: 'smtp://mail.example.com'\n    sender: 'portal@example.com'\n    disable_starttls: true\n    disable_require_tls: true\n"));
    }
}
