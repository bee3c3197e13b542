namespace Portal.Infrastructure;

/// <summary>
/// A JSON request body, read (<see cref="Api.ReadAsync"/>) when the handler's parameters are bound, so
/// <c>.RequireBody(…)</c> can refuse it before <c>.RequireSession(…)</c> looks at the session, where an endpoint
/// checks its input first.
/// </summary>
internal sealed class JsonBody<T> where T : class
{
    private readonly T? _value;

    public JsonBody(T? value) => _value = value;

    /// <summary>Null for a missing, oversized or malformed body.</summary>
    public T? Read => _value;

    /// <summary>The body as <c>.RequireBody(…)</c> accepted it.</summary>
    public T Value => _value ?? throw new InvalidOperationException("A handler takes a JsonBody but its endpoint has no RequireBody(…).");

    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new JsonBody<T>(await Api.ReadAsync<T>(context.Request, context.RequestAborted));
    }
}
