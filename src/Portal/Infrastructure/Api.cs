using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Infrastructure;

/// <summary>Authelia's JSON envelopes: <c>{"status":"OK","data":…}</c> and <c>{"status":"KO","message":…}</c>.</summary>
internal static class Api
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static IResult Ok() => Results.Json(new OkBody(), Json);

    public static IResult Ok<T>(T data) => Results.Json(new OkBody<T>("OK", data), Json);

    public static IResult Ko(int status, string message) => Results.Json(new KoBody("KO", message), Json, statusCode: status);

    /// <summary>
    /// Reads a JSON body into <typeparamref name="T"/>; null (and the caller answers 400) for a missing, oversized or
    /// malformed body instead of an exception.
    /// </summary>
    public static async Task<T?> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (request.ContentLength is > 64 * 1024)
        {
            return null;
        }
        try
        {
            return await request.ReadFromJsonAsync<T>(Json, ct);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException or NotSupportedException)
        {
            return null;
        }
    }

    private sealed record OkBody([property: JsonPropertyName("status")] string Status = "OK");

    private sealed record OkBody<T>([property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("data")] T Data);

    private sealed record KoBody([property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("message")] string Message);
}
