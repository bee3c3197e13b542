namespace Portal.Regulation;

internal sealed class RegulationOptions
{
    public List<string> Modes { get; set; } = ["user"];
    public int MaxRetries { get; set; } = 3;
    public TimeSpan FindTime { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan BanTime { get; set; } = TimeSpan.FromMinutes(5);
}
