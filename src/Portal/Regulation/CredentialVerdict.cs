namespace Portal.Regulation;

/// <summary>What verifying a credential found, as regulation needs it.</summary>
/// <param name="IsRight">the credential is right (and its user may sign in)</param>
/// <param name="IsGuess">false when no credential was checked at all (a WebAuthn post without a pending ceremony):
/// no guess, so it is neither recorded nor delayed</param>
/// <param name="Owner">the user the credential named, when the attempt had none (a passkey); empty when unknown</param>
internal sealed record CredentialVerdict(bool IsRight, bool IsGuess = true, string? Owner = null)
{
    public static CredentialVerdict Right { get; } = new(true);

    public static CredentialVerdict Wrong { get; } = new(false);

    public static CredentialVerdict NoGuess { get; } = new(false, IsGuess: false);

    public static CredentialVerdict Of(bool right) => right ? Right : Wrong;
}
