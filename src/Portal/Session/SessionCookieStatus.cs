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
