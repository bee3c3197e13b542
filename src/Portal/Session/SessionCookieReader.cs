namespace Portal.Session;

internal enum SessionCookieStatus
{
    /// <summary>No cookie of that name.</summary>
    Missing,

    /// <summary>Exactly one cookie, shaped like a session id.</summary>
    Present,

    /// <summary>One cookie whose value cannot be a session id (wrong length or characters, oversized).</summary>
    Malformed,

    /// <summary>
    /// More than one cookie of that name. Which one a server picks differs between stacks, so an attacker who can
    /// plant a cookie on a sibling domain could choose; we use neither.
    /// </summary>
    Duplicate,
}

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
