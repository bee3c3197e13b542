namespace Portal.Regulation;

internal sealed class RegulationOptions
{
    public IReadOnlyList<string> Modes { get; init; } = ["user"];
    public int MaxRetries { get; init; } = 3;
    public TimeSpan FindTime { get; init; } = TimeSpan.FromMinutes(2);
    public TimeSpan BanTime { get; init; } = TimeSpan.FromMinutes(5);
}
