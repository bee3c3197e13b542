using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Configuration;
using Portal.Infrastructure;
using Portal.Regulation;

namespace Portal.Elevation;

/// <summary>
/// Authelia's <c>RequireElevated</c> in front of every credential change, run by <c>RequireSession(Elevated)</c>:
/// <see cref="ElevationRequirement.Check"/> on the loaded session, and the 403 that says what is missing.
/// </summary>
internal sealed partial class ElevationGuard(PortalOptions options, IEnumerable<IUserSecondFactors> secondFactors, TrustedProxies proxies, TimeProvider time, ILogger<ElevationGuard> logger)
{
    /// <returns>null when the session may change credentials; otherwise the refusal to answer</returns>
    public async Task<JsonHttpResult<RefusalBody>?> RefuseAsync(HttpContext context, PortalSession portal)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(portal);
        var session = portal.Session;
        var hadElevation = session.Elevation is not null;
        var hasSecondFactor = !session.IsAnonymous && await secondFactors.HasAnyAsync(context.PortalHost(proxies), session.Username, context.RequestAborted);
        var refusal = ElevationRequirement.Check(session, portal.Level, options.IdentityValidation.ElevatedSession, hasSecondFactor,
            time.GetUtcNow(), RegulationKeys.Ip(context.ClientIp(proxies)));
        if (refusal is null)
        {
            return null;
        }
        if (hadElevation && session.Elevation is null)
        {
            // The check dropped an expired or other-IP elevation; store that so it cannot come back.
            context.Response.Headers.SetCookie = await portal.Manager.SaveAsync(portal.Active, context.RequestAborted);
        }
        LogNotElevated(logger, session.Username, refusal.Elevation, refusal.FirstFactor, refusal.SecondFactor);
        return TypedResults.Json(new RefusalBody("KO", refusal), Api.Json, statusCode: StatusCodes.Status403Forbidden);
    }

    internal sealed record RefusalBody([property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("data")] ElevationRefusal Data);

    [LoggerMessage(EventId = 1510, Level = LogLevel.Information, Message = "WebAuthn change refused for '{Username}': elevation={Elevation} first_factor={FirstFactor} second_factor={SecondFactor}")]
    private static partial void LogNotElevated(ILogger logger, string username, bool elevation, bool firstFactor, bool secondFactor);
}
