using System.Globalization;

namespace Portal.Configuration;

/// <summary>
/// Durations as Authelia's admins write them: <c>90</c> (seconds), <c>5m</c>, <c>1h30m</c>, <c>500ms</c>,
/// <c>'5 minutes'</c>, <c>'1 hour 30 minutes'</c>, <c>30d</c>, <c>2w</c>, <c>1M</c> (30 days), <c>1y</c> (365 days),
/// and <c>-1</c> where a negative value means "disabled" (session.remember_me).
/// </summary>
internal static class Duration
{
    private static readonly Dictionary<string, TimeSpan> Units = new(StringComparer.Ordinal)
    {
        ["ms"] = TimeSpan.FromMilliseconds(1),
        ["millisecond"] = TimeSpan.FromMilliseconds(1),
        ["milliseconds"] = TimeSpan.FromMilliseconds(1),
        ["s"] = TimeSpan.FromSeconds(1),
        ["sec"] = TimeSpan.FromSeconds(1),
        ["secs"] = TimeSpan.FromSeconds(1),
        ["second"] = TimeSpan.FromSeconds(1),
        ["seconds"] = TimeSpan.FromSeconds(1),
        ["m"] = TimeSpan.FromMinutes(1),
        ["min"] = TimeSpan.FromMinutes(1),
        ["mins"] = TimeSpan.FromMinutes(1),
        ["minute"] = TimeSpan.FromMinutes(1),
        ["minutes"] = TimeSpan.FromMinutes(1),
        ["h"] = TimeSpan.FromHours(1),
        ["hour"] = TimeSpan.FromHours(1),
        ["hours"] = TimeSpan.FromHours(1),
        ["d"] = TimeSpan.FromDays(1),
        ["day"] = TimeSpan.FromDays(1),
        ["days"] = TimeSpan.FromDays(1),
        ["w"] = TimeSpan.FromDays(7),
        ["week"] = TimeSpan.FromDays(7),
        ["weeks"] = TimeSpan.FromDays(7),
        // Single-letter 'M' is month and 'm' minute, as in Authelia; the long forms are unambiguous.
        ["M"] = TimeSpan.FromDays(30),
        ["month"] = TimeSpan.FromDays(30),
        ["months"] = TimeSpan.FromDays(30),
        ["y"] = TimeSpan.FromDays(365),
        ["year"] = TimeSpan.FromDays(365),
        ["years"] = TimeSpan.FromDays(365),
    };

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var s = text.Trim();
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            if (Math.Abs(seconds) > (long)TimeSpan.MaxValue.TotalSeconds)
            {
                return false;
            }
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        var total = TimeSpan.Zero;
        var i = 0;
        var parts = 0;
        while (i < s.Length)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                i++;
            }
            if (i == s.Length)
            {
                break;
            }
            var numberStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
            if (i == numberStart || !long.TryParse(s.AsSpan(numberStart, i - numberStart), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }
            while (i < s.Length && s[i] == ' ')
            {
                i++;
            }
            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }
            var unitText = s[unitStart..i];
            // Exact spelling first so 'M' (month) and 'm' (minute) stay apart; otherwise any case ('5 Minutes').
            if (!Units.TryGetValue(unitText, out var unit) && !Units.TryGetValue(unitText.ToLowerInvariant(), out unit))
            {
                return false;
            }
            try
            {
                total = checked(total + TimeSpan.FromTicks(checked(unit.Ticks * amount)));
            }
            catch (OverflowException)
            {
                return false;
            }
            parts++;
        }
        value = total;
        return parts > 0;
    }

    /// <summary>The shortest Authelia-style spelling, for messages and the CLI.</summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            return "-1";
        }
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }
        var parts = new List<string>();
        var rest = value;
        foreach (var (suffix, unit) in new[] { ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)), ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1)), ("ms", TimeSpan.FromMilliseconds(1)) })
        {
            var n = rest.Ticks / unit.Ticks;
            if (n > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{n}{suffix}"));
                rest -= TimeSpan.FromTicks(n * unit.Ticks);
            }
        }
        return string.Concat(parts);
    }
}
