using System.Diagnostics.Metrics;
using Portal.Telemetry;

namespace Portal.Regulation;

/// <summary>
/// Authelia's <c>authn</c> (first factor: the password form and basic credentials), <c>authn_passkey</c>,
/// <c>authn_second_factor</c> (by <c>type</c>: <c>webauthn</c>, or <c>password</c> after a passkey) and
/// <c>authn_duration</c>, recorded by <see cref="RegulatedCredential"/> for every credential it checks.
/// </summary>
internal sealed class AuthenticationMetrics
{
    public const string MeterName = "Portal.Regulation";

    /// <summary>Authelia's buckets for <c>authn_duration</c>.</summary>
    private static readonly double[] DurationBuckets =
        [.0005, .00075, .001, .005, .01, .025, .05, .075, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 0.9, 1, 5, 10, 15, 30, 60];

    private static readonly object WebAuthnType = "webauthn";
    private static readonly object PasswordType = "password";

    private readonly Counter<long> _firstFactor;
    private readonly Counter<long> _passkey;
    private readonly Counter<long> _secondFactor;
    private readonly Histogram<double> _duration;

    public AuthenticationMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _firstFactor = meter.CreateCounter<long>("portal_authn", description: "First-factor attempts (password, basic credentials), by success and ban");
        _passkey = meter.CreateCounter<long>("portal_authn_passkey", description: "Passkey sign-in attempts, by success and ban");
        _secondFactor = meter.CreateCounter<long>("portal_authn_second_factor", description: "Second-factor attempts, by success, ban and type");
        _duration = meter.CreateHistogram<double>("portal_authn_duration", null,
            "Seconds to check a credential (ban check, verification, record; not the failure delay), by success",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    public void Attempted(string authType, bool succeeded, bool banned, TimeSpan duration)
    {
        var success = new KeyValuePair<string, object?>("success", MetricTags.Bool(succeeded));
        var ban = new KeyValuePair<string, object?>("banned", MetricTags.Bool(banned));
        switch (authType)
        {
            case AuthenticationTypes.OneFactor:
                _firstFactor.Add(1, success, ban);
                break;
            case AuthenticationTypes.Passkey:
                _passkey.Add(1, success, ban);
                break;
            case AuthenticationTypes.WebAuthn:
                _secondFactor.Add(1, success, ban, new KeyValuePair<string, object?>("type", WebAuthnType));
                break;
            case AuthenticationTypes.Password:
                _secondFactor.Add(1, success, ban, new KeyValuePair<string, object?>("type", PasswordType));
                break;
        }
        _duration.Record(duration.TotalSeconds, success);
    }
}
