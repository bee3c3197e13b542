namespace Portal.Elevation;

internal sealed class IdentityValidationOptions
{
    public ElevatedSessionOptions ElevatedSession { get; init; } = new();
}
