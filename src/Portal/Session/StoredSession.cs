namespace Portal.Session;

/// <summary>One of a user's signed-in sessions as the store holds it (for listing and ending sessions).</summary>
internal sealed record StoredSession(string Id, UserSession Session)
{
    /// <summary>What the pages and the CLI show and accept for this session: never the id itself.</summary>
    public string Handle => SessionHandles.Of(Id);
}
