namespace Portal.Infrastructure;

internal sealed class ServerTimeoutsOptions
{
    public TimeSpan Read { get; init; } = TimeSpan.FromSeconds(6);
    public TimeSpan Write { get; init; } = TimeSpan.FromSeconds(6);
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(30);
}
