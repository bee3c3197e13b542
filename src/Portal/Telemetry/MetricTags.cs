using System.Globalization;

namespace Portal.Telemetry;

/// <summary>
/// Tag values the hot paths reuse, so that recording a measurement allocates nothing: a status code or a boolean
/// boxed once, and the method names Prometheus should see (anything else is one <c>_OTHER</c> series, not one per
/// verb a client invents).
/// </summary>
internal static class MetricTags
{
    private static readonly object[] Codes = Enumerable.Range(0, 600).Select(c => (object)c.ToString(CultureInfo.InvariantCulture)).ToArray();

    public static readonly object True = "true";
    public static readonly object False = "false";

    /// <summary>The status code as label text ("200"), cached for 0–599.</summary>
    public static object Code(int status) =>
        (uint)status < (uint)Codes.Length ? Codes[status] : status.ToString(CultureInfo.InvariantCulture);

    public static object Bool(bool value) => value ? True : False;

    /// <summary>The request method as a label: the standard ones as spelled, anything else <c>_OTHER</c>.</summary>
    public static string Method(string method) => method switch
    {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        "PATCH" => "PATCH",
        "TRACE" => "TRACE",
        "CONNECT" => "CONNECT",
        _ => "_OTHER",
    };
}
