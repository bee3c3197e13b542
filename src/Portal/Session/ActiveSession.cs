using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Portal.Session;

/// <summary>
/// The session of one request: its id (which changes on regeneration) and its data. Only
/// <see cref="SessionManager"/> changes <see cref="Id"/>.
/// </summary>
internal sealed class ActiveSession
{
    internal ActiveSession(string id, UserSession session, SessionLoadOutcome outcome)
    {
        Id = id;
        Session = session;
        Outcome = outcome;
    }

    public string Id { get; internal set; }
    public UserSession Session { get; }
    public SessionLoadOutcome Outcome { get; }

    /// <summary>
    /// The browser sent a session cookie we did not accept. If the handler does not save a new session, it should
    /// send <see cref="SessionManager.BuildExpiredCookie"/> so the browser stops presenting it.
    /// </summary>
    public bool CookieRejected => Outcome is not (SessionLoadOutcome.Loaded or SessionLoadOutcome.NoCookie);
}
