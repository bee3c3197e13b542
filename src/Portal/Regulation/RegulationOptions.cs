using System.ComponentModel;
using Portal.Configuration;
namespace Portal.Regulation;

internal sealed class RegulationOptions
{
    [Description("What is banned after too many failures: user, ip, or both.")]
    [ConfigValues("user", "ip")]
    public IReadOnlyList<string> Modes { get; init; } = ["user"];
    [Description("Failures within find_time that trigger a ban; 0 disables regulation.")]
    public int MaxRetries { get; init; } = 3;
    [Description("The window in which failures are counted.")]
    public TimeSpan FindTime { get; init; } = TimeSpan.FromMinutes(2);
    [Description("How long a ban lasts.")]
    public TimeSpan BanTime { get; init; } = TimeSpan.FromMinutes(5);
}
