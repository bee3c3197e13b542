using Portal.Notification;
using Portal.Tests.Support;

namespace Portal.Tests.Notification;

public sealed class NotificationTemplatesTests
{
    private static Dictionary<string, string> OtcValues(string displayName = "John Doe") => new()
    {
        ["Title"] = "Confirm your identity",
        ["DisplayName"] = displayName,
        ["Domain"] = "example.com",
        ["OneTimeCode"] = "ABCD2346",
        ["RevocationLinkURL"] = "https://auth.example.com/revoke/one-time-code?id=x&y=1",
        ["RevocationLinkText"] = "Revoke",
        ["RemoteIP"] = "192.0.2.7",
    };

    [Fact]
    public void Built_in_templates_carry_the_code_ip_and_revoke_link_in_text_and_html()
    {
        var message = NotificationTemplates.Load("").Render(NotificationTemplates.IdentityVerificationOtc, OtcValues());

        Assert.Equal("Confirm your identity", message.Subject);
        foreach (var body in new[] { message.Text, message.Html })
        {
            Assert.Contains("ABCD2346", body, StringComparison.Ordinal);
            Assert.Contains("192.0.2.7", body, StringComparison.Ordinal);
            Assert.Contains("John Doe", body, StringComparison.Ordinal);
            Assert.DoesNotContain("{{", body, StringComparison.Ordinal);
        }
        Assert.Contains("https://auth.example.com/revoke/one-time-code?id=x&y=1", message.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"https://auth.example.com/revoke/one-time-code?id=x&amp;y=1\"", message.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_are_html_encoded_in_the_html_body_only()
    {
        var message = NotificationTemplates.Load("").Render(NotificationTemplates.IdentityVerificationOtc, OtcValues("<script>x</script>"));

        Assert.Contains("&lt;script&gt;x&lt;/script&gt;", message.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", message.Html, StringComparison.Ordinal);
        Assert.Contains("<script>x</script>", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_in_template_path_overrides_only_that_template()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("IdentityVerificationOTC.txt"), "Code {{ .OneTimeCode }} for {{.DisplayName}} from {{ .RemoteIP }}");

        var templates = NotificationTemplates.Load(dir.Path);
        var message = templates.Render(NotificationTemplates.IdentityVerificationOtc, OtcValues());

        Assert.Equal("Code ABCD2346 for John Doe from 192.0.2.7", message.Text);
        Assert.Contains("<!doctype html>", message.Html, StringComparison.Ordinal);
        Assert.Equal(["IdentityVerificationOTC.txt"], templates.Overridden);
    }

    [Fact]
    public void An_override_with_an_unknown_field_is_refused_with_file_and_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("Event.html"), "<p>ok {{ .Title }}</p>\n<p>{{ .OneTimeCode }}</p>");

        var e = Assert.Throws<NotificationException>(() => NotificationTemplates.Load(dir.Path));

        Assert.StartsWith($"notifier: template_path: '{dir.File("Event.html")}': line 2: unknown field 'OneTimeCode'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_override_with_template_logic_is_refused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("IdentityVerificationOTC.html"), "{{ .Title }}\n{{ if .DisplayName }}hi{{ end }}");

        var e = Assert.Throws<NotificationException>(() => NotificationTemplates.Load(dir.Path));

        Assert.Contains("line 2: only '{{ .Field }}' is supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rendering_with_a_field_the_template_does_not_have_is_a_bug_not_a_blank()
    {
        var values = OtcValues();
        values["Details"] = "x";

        Assert.Throws<ArgumentException>(() => NotificationTemplates.Load("").Render(NotificationTemplates.IdentityVerificationOtc, values));
    }
}
