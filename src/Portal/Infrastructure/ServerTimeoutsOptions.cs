using System.ComponentModel;
namespace Portal.Infrastructure;

internal sealed class ServerTimeoutsOptions
{
    [Description("How long a client may take to send a request.")]
    public TimeSpan Read { get; init; } = TimeSpan.FromSeconds(6);
    [Description("How long writing an answer may take.")]
    public TimeSpan Write { get; init; } = TimeSpan.FromSeconds(6);
    [Description("How long an idle keep-alive connection stays open.")]
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(30);
}
