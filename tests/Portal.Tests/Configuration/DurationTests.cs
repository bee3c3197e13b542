using Portal.Configuration;

namespace Portal.Tests.Configuration;

public sealed class DurationTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1h 30m", 5400)]
    [InlineData("5 minutes", 300)]
    [InlineData("1 hour 30 minutes", 5400)]
    [InlineData("5 Minutes", 300)]
    [InlineData("30d", 2_592_000)]
    [InlineData("2w", 1_209_600)]
    [InlineData("1M", 2_592_000)]
    [InlineData("1y", 31_536_000)]
    [InlineData("-1", -1)]
    public void Authelia_spellings_parse_to_the_same_span(string text, int seconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Fact]
    public void Single_letter_m_is_minutes_and_capital_M_is_months()
    {
        Assert.True(Duration.TryParse("1m", out var minute));
        Assert.True(Duration.TryParse("1M", out var month));
        Assert.Equal(TimeSpan.FromMinutes(1), minute);
        Assert.Equal(TimeSpan.FromDays(30), month);
    }

    [Fact]
    public void Milliseconds_are_not_mistaken_for_minutes()
    {
        Assert.True(Duration.TryParse("500ms", out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(500), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("forever")]
    [InlineData("5 fortnights")]
    [InlineData("m5")]
    [InlineData("5.5h")]
    [InlineData("99999999999999999999y")]
    public void Nonsense_is_rejected(string text) => Assert.False(Duration.TryParse(text, out _));
}
