using System.Diagnostics.Metrics;
using Portal.Telemetry;

namespace Portal.ForwardAuth;

/// <summary>Authelia's <c>authz</c>: the answers of the authz endpoints, by status code.</summary>
internal sealed class AuthzMetrics
{
    public const string MeterName = "Portal.ForwardAuth";

    private readonly Counter<long> _authz;

    public AuthzMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _authz = meters.Create(MeterName).CreateCounter<long>("portal_authz", description: "Authz endpoint answers, by status code");
    }

    /// <summary>No allocation: the code's tag value is cached.</summary>
    public void Answered(int status) => _authz.Add(1, new KeyValuePair<string, object?>("code", MetricTags.Code(status)));
}
