using System.Diagnostics.Metrics;

namespace Portal.Session;

/// <summary>Sessions signed in and ended (by why), and the requests the session store failed.</summary>
internal sealed class SessionMetrics
{
    public const string MeterName = "Portal.Session";

    public const string Logout = "logout";
    public const string Revoked = "revoked";
    public const string Refused = "refused";

    private readonly Counter<long> _created;
    private readonly Counter<long> _destroyed;
    private readonly Counter<long> _storeErrors;

    public SessionMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _created = meter.CreateCounter<long>("portal_session_created", description: "Sessions signed in (first factor or passkey)");
        _destroyed = meter.CreateCounter<long>("portal_session_destroyed",
            description: "Signed-in sessions ended, by reason (logout, revoked, expired, inactive, refused)");
        _storeErrors = meter.CreateCounter<long>("portal_session_store_errors", description: "Requests the session store failed (answered 503 or refused)");
    }

    public void Created() => _created.Add(1);

    public void Destroyed(string reason, int count = 1)
    {
        if (count > 0)
        {
            _destroyed.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    /// <summary>The reason label of a session discarded on load.</summary>
    public void Discarded(SessionLoadOutcome outcome) => Destroyed(outcome switch
    {
        SessionLoadOutcome.Expired => "expired",
        SessionLoadOutcome.Inactive => "inactive",
        _ => Refused,
    });

    public void StoreFailed() => _storeErrors.Add(1);
}
