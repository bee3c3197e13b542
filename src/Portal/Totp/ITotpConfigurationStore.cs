namespace Portal.Totp;

/// <summary>Each user's one TOTP configuration. Usernames are keyed canonical (<c>Users.Usernames.Key</c>).</summary>
internal interface ITotpConfigurationStore
{
    /// <returns>the user's configuration with its secret decrypted, or null when they have none</returns>
    Task<TotpConfiguration?> FindAsync(string username, CancellationToken cancellationToken);

    Task<bool> HasAsync(string username, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="configuration"/> as the user's one configuration, replacing any earlier one (a new id).</summary>
    Task SaveAsync(TotpConfiguration configuration, CancellationToken cancellationToken);

    /// <returns>whether the user had a configuration</returns>
    Task<bool> DeleteAsync(string username, CancellationToken cancellationToken);

    /// <summary>
    /// Records that a code of time step <paramref name="step"/> was accepted for configuration <paramref name="id"/>:
    /// one conditional write, so of two uses of one code (on any node) only one is recorded.
    /// </summary>
    /// <param name="allowReuse">record even when that step (or a later one) was used already (<c>disable_reuse_security_policy</c>)</param>
    /// <returns>false when the configuration is gone or the step was used already (and reuse is not allowed)</returns>
    Task<bool> TryUseStepAsync(long id, long step, DateTimeOffset now, bool allowReuse, CancellationToken cancellationToken);

    /// <summary>Every configuration, secrets decrypted, by username (for <c>portal storage user totp export</c>).</summary>
    Task<IReadOnlyList<TotpConfiguration>> ListAsync(CancellationToken cancellationToken);
}
