namespace Portal.RecoveryCodes;

/// <summary>
/// A user's recovery codes, each usable once. Codes come in and are compared in their canonical form
/// (<see cref="RecoveryCodeFormat.Canonical"/>) and are stored only as <see cref="RecoveryCodeHasher"/> hashes.
/// </summary>
internal interface IRecoveryCodeStore
{
    /// <summary>Replaces every code of <paramref name="username"/> (used or not) with <paramref name="codes"/>, in one step.</summary>
    Task ReplaceAsync(string username, IReadOnlyList<string> codes, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Marks the unused <paramref name="code"/> as used; false when there is none (unknown, or already used).</summary>
    Task<bool> TryUseAsync(string username, string code, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>How many unused codes <paramref name="username"/> has.</summary>
    Task<int> CountUnusedAsync(string username, CancellationToken cancellationToken);
}
