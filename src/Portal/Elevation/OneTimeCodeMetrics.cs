using System.Diagnostics.Metrics;

namespace Portal.Elevation;

/// <summary>One-time codes sent, used, and refused (by why: wrong, expired, used, revoked, rate limited).</summary>
internal sealed class OneTimeCodeMetrics
{
    public const string MeterName = "Portal.Elevation";

    private readonly Counter<long> _sent;
    private readonly Counter<long> _used;
    private readonly Counter<long> _refused;

    public OneTimeCodeMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _sent = meter.CreateCounter<long>("portal_one_time_code_sent", description: "One-time codes sent");
        _used = meter.CreateCounter<long>("portal_one_time_code_used", description: "One-time codes accepted");
        _refused = meter.CreateCounter<long>("portal_one_time_code_refused", description: "One-time codes refused, by reason");
    }

    public void Sent() => _sent.Add(1);

    public void Used() => _used.Add(1);

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
