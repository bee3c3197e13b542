namespace Portal.Session;

/// <summary>Finds the session cookie in raw <c>Cookie</c> headers without trusting the framework's collapsing.</summary>
internal static class SessionCookieReader
{
    public static (SessionCookieStatus Status, string? Id) Read(IEnumerable<string?> cookieHeaders, string name)
    {
        ArgumentNullException.ThrowIfNull(cookieHeaders);
        ArgumentException.ThrowIfNullOrEmpty(name);
        string? found = null;
        var count = 0;
        foreach (var header in cookieHeaders)
        {
            if (string.IsNullOrEmpty(header))
            {
                continue;
            }
            foreach (var part in header.Split(';'))
            {
                var pair = part.AsSpan().Trim();
                var eq = pair.IndexOf('=');
                if (eq <= 0 || !pair[..eq].Trim().SequenceEqual(name))
                {
                    continue;
                }
                count++;
                found = pair[(eq + 1)..].Trim().ToString();
            }
        }
        return count switch
        {
            0 => (SessionCookieStatus.Missing, null),
            > 1 => (SessionCookieStatus.Duplicate, null),
            _ when SessionIds.IsWellFormed(found) => (SessionCookieStatus.Present, found),
            _ => (SessionCookieStatus.Malformed, null),
        };
    }
}
