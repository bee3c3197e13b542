namespace Portal.Elevation;

internal sealed class ElevatedSessionOptions
{
    public TimeSpan CodeLifespan { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan ElevationLifespan { get; set; } = TimeSpan.FromMinutes(10);
    public int Characters { get; set; } = 8;
    public bool RequireSecondFactor { get; set; }
    public bool SkipSecondFactor { get; set; }
}
