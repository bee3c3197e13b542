using System.ComponentModel;
namespace Portal.Elevation;

internal sealed class IdentityValidationOptions
{
    [Description("Adding, renaming or deleting a credential needs an elevated session, unlocked by a one-time code sent by email.")]
    public ElevatedSessionOptions ElevatedSession { get; init; } = new();
}
