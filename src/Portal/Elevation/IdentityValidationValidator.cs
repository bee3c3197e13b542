using Portal.Configuration;
using static Portal.Configuration.ConfigChecks;

namespace Portal.Elevation;

/// <summary>Checks <c>identity_validation.elevated_session</c>: the emailed code and the elevation it grants.</summary>
internal static class IdentityValidationValidator
{
    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        var identity = options.IdentityValidation;
        const string Path = "identity_validation.elevated_session";
        var elevated = identity.ElevatedSession;
        RequirePositive(diag, Path, "code_lifespan", elevated.CodeLifespan);
        RequirePositive(diag, Path, "elevation_lifespan", elevated.ElevationLifespan);
        RequireRange(diag, Path, "characters", elevated.Characters, 1, 20);
        if (elevated.Characters is >= 1 and < 8)
        {
            diag.Warning(Path, "characters", "is below 8: short codes are easier to guess");
        }
        if (elevated.RequireSecondFactor && elevated.SkipSecondFactor)
        {
            diag.Warning(Path, "'require_second_factor' and 'skip_second_factor' are both true");
        }
    }
}
