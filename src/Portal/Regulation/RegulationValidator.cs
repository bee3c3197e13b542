using Portal.Configuration;

namespace Portal.Regulation;

/// <summary>Checks the <c>regulation</c> section. Messages follow Authelia's where it has one.</summary>
internal static class RegulationValidator
{
    public const string ModeUser = "user";
    public const string ModeIp = "ip";

    private const string Section = "regulation";

    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        var regulation = options.Regulation;

        if (regulation.Modes.Count == 0)
        {
            // Authelia silently falls back to 'user'; an explicitly empty list more likely means a mistake than
            // "regulate nothing" (that is max_retries: 0), so say so.
            diag.Error(Section, "modes", $"must contain at least one of '{ModeUser}' or '{ModeIp}'");
        }
        foreach (var mode in regulation.Modes)
        {
            if (mode is not (ModeUser or ModeIp))
            {
                diag.Error(Section, "modes",
                    $"must only contain the values '{ModeUser}' and '{ModeIp}' but contains the value '{mode}'");
            }
        }

        if (regulation.MaxRetries < 0)
        {
            diag.Error(Section, "max_retries", "must be 0 (disabled) or greater");
        }

        var durationsValid = true;
        if (regulation.FindTime <= TimeSpan.Zero)
        {
            diag.Error(Section, "find_time", "must be greater than 0");
            durationsValid = false;
        }
        if (regulation.BanTime <= TimeSpan.Zero)
        {
            diag.Error(Section, "ban_time", "must be greater than 0");
            durationsValid = false;
        }
        // Authelia makes this an error, not a warning: a ban shorter than the window it was computed over would let
        // the same failures ban again the moment it lapses, which is confusing rather than stricter.
        if (durationsValid && regulation.FindTime > regulation.BanTime)
        {
            diag.Error(Section, "find_time", "must be less than or equal to option 'ban_time'");
        }
    }
}
