using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Portal.Telemetry;

/// <summary>
/// Authelia's <c>request</c> (by code and method) and <c>request_duration</c> (by code, seconds) for every request
/// the portal answers. Added to the pipeline only when metrics are enabled.
/// </summary>
internal sealed class RequestMetrics
{
    public const string MeterName = "Portal.Telemetry";

    /// <summary>Authelia's buckets for <c>request_duration</c>.</summary>
    private static readonly double[] DurationBuckets = [.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 15, 20, 30, 40, 50, 60];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    public RequestMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("portal_request", description: "Requests answered by the portal, by status code and method");
        _duration = meter.CreateHistogram<double>("portal_request_duration", null, "Seconds to answer a request, by status code",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var started = Stopwatch.GetTimestamp();
        var status = 500;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            var code = new KeyValuePair<string, object?>("code", MetricTags.Code(status));
            _requests.Add(1, code, new KeyValuePair<string, object?>("method", MetricTags.Method(context.Request.Method)));
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, code);
        }
    }
}
