using System.Text.Json;
using Portal.Configuration;
using Portal.Infrastructure;
using Serilog;
using Portal.Tests.Support;

namespace Portal.Tests.Infrastructure;

/// <summary>The log formats as <c>portal serve</c> configures them, written to a real log file.</summary>
public sealed class LoggingTests
{
    private const string ForgedUser = "bob\nlevel=error msg=\"forged\"";

    /// <summary>Logs through <see cref="Logging.Configure"/> into a file and returns what the file holds.</summary>
    private static string Log(string format, Action<Serilog.ILogger> write)
    {
        using var dir = new TempDirectory();
        var path = dir.File("portal.log");
        using (var logger = Logging.Configure(new LoggerConfiguration(), new LogOptions { Format = format, FilePath = path }).CreateLogger())
        {
            write(logger);
        }
        return File.ReadAllText(path);
    }

    [Fact]
    public void Text_log_line_cannot_be_split_or_given_a_forged_field_by_a_username()
    {
        var text = Log("text", l => l.Warning("Unsuccessful 1FA authentication attempt by user {Username}", ForgedUser));

        var line = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches("""^time="[^"]+" level=Warning msg="Unsuccessful 1FA authentication attempt by user bob\\nlevel=error msg=\\"forged\\""$""", line);
    }

    [Theory]
    [InlineData("a\r\nb", """a\r\nb""")]
    [InlineData("a\tb", """a\tb""")]
    [InlineData("a\\\"b", """a\\\"b""")]
    [InlineData("a\u0000b\u001bc\u007fd", """a\u0000b\u001bc\u007fd""")]
    [InlineData("a\u0085b", """a\u0085b""")]
    [InlineData("a\u2028b\u2029c", """a\u2028b\u2029c""")]
    [InlineData("a\u202eb\u2066c", """a\u202eb\u2066c""")]
    [InlineData("José ✓", "José ✓")]
    public void Text_log_escapes_control_characters_quotes_and_backslashes_in_any_property(string value, string escaped)
    {
        var text = Log("text", l => l.Information("Redirecting to {Rd} for {Host}", value, value));

        var line = Assert.Single(text.Split('\n'), l => l.Length > 0);
        Assert.EndsWith($"msg=\"Redirecting to {escaped} for {escaped}\"", line, StringComparison.Ordinal);
        Assert.Equal(text.Length - 1, text.IndexOf('\n', StringComparison.Ordinal));
    }

    [Fact]
    public void Text_log_keeps_an_exception_on_the_events_line()
    {
        var text = Log("text", l => l.Error(new InvalidOperationException("bad input\nlevel=info msg=\"ok\""), "Request for {Path} failed", "/x"));

        var line = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(""""msg="Request for /x failed" error="System.InvalidOperationException: bad input\nlevel=info msg=\"ok\"""", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_log_still_writes_one_object_per_line_with_the_value_intact()
    {
        var text = Log("json", l => l.Warning("Unsuccessful 1FA authentication attempt by user {Username}", ForgedUser));

        var line = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal(ForgedUser, json.RootElement.GetProperty("Username").GetString());
        Assert.Equal("Warning", json.RootElement.GetProperty("@l").GetString());
    }
}
