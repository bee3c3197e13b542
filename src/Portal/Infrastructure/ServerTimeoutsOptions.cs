namespace Portal.Infrastructure;

internal sealed class ServerTimeoutsOptions
{
    public TimeSpan Read { get; set; } = TimeSpan.FromSeconds(6);
    public TimeSpan Write { get; set; } = TimeSpan.FromSeconds(6);
    public TimeSpan Idle { get; set; } = TimeSpan.FromSeconds(30);
}
