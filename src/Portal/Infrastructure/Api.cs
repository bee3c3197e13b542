using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Portal.Infrastructure;

/// <summary>
/// Authelia's JSON envelopes as typed results: <c>{"status":"OK","data":…}</c> and <c>{"status":"KO","message":…}</c>.
/// Handlers declare what they answer (<c>Results&lt;Ok&lt;Api.OkBody&lt;T&gt;&gt;, JsonHttpResult&lt;Api.KoBody&gt;&gt;</c>).
/// </summary>
internal static class Api
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Ok<OkBody> Ok() => TypedResults.Ok(new OkBody());

    public static Ok<OkBody<T>> Ok<T>(T data) => TypedResults.Ok(new OkBody<T>("OK", data));

    /// <summary>A KO answer with any status: 401, 403, 429 and 503 have no typed result with a body.</summary>
    public static JsonHttpResult<KoBody> Ko(int status, string message) => TypedResults.Json(new KoBody("KO", message), Json, statusCode: status);

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

    internal sealed record OkBody([property: JsonPropertyName("status")] string Status = "OK");

    internal sealed record OkBody<T>([property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("data")] T Data);

    internal sealed record KoBody([property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("message")] string Message);
}
