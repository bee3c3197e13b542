namespace Portal.Elevation;

internal sealed class ElevatedSessionOptions
{
    public TimeSpan CodeLifespan { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan ElevationLifespan { get; init; } = TimeSpan.FromMinutes(10);
    public int Characters { get; init; } = 8;
    public bool RequireSecondFactor { get; init; }
    public bool SkipSecondFactor { get; init; }
}
