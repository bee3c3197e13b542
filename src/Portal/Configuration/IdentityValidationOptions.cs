namespace Portal.Configuration;

internal sealed class IdentityValidationOptions
{
    public ElevatedSessionOptions ElevatedSession { get; set; } = new();
}
