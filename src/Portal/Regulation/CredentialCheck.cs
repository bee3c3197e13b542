namespace Portal.Regulation;

/// <summary>The outcome of <see cref="RegulatedCredential.CheckAsync"/>.</summary>
/// <param name="Succeeded">right and not banned: the only outcome that may sign anyone in</param>
/// <param name="Counted">false: no credential was checked (<see cref="CredentialVerdict.IsGuess"/>); nothing recorded</param>
/// <param name="Banned">the user or IP was banned; the answer must look like a wrong credential's</param>
/// <param name="Username">the user the attempt was recorded under, or the remembered user</param>
/// <param name="Remembered">succeeded from <see cref="CredentialAttempt.Remembered"/>, without verifying</param>
internal sealed record CredentialCheck(bool Succeeded, bool Counted, bool Banned, string Username, bool Remembered = false);
