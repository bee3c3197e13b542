using System.ComponentModel;
namespace Portal.Elevation;

internal sealed class ElevatedSessionOptions
{
    [Description("How long the emailed code is valid.")]
    public TimeSpan CodeLifespan { get; init; } = TimeSpan.FromMinutes(5);
    [Description("How long the elevation lasts once the code is entered.")]
    public TimeSpan ElevationLifespan { get; init; } = TimeSpan.FromMinutes(10);
    [Description("Code length, 1 to 20 (below 8 warns).")]
    public int Characters { get; init; } = 8;
    [Description("Users who have a second factor must use it before elevating.")]
    public bool RequireSecondFactor { get; init; }
    [Description("A session that already has two factors is elevated without a code.")]
    public bool SkipSecondFactor { get; init; }
}
