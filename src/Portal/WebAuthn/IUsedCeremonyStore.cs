namespace Portal.WebAuthn;

/// <summary>
/// The WebAuthn ceremonies already completed, by their server-side state: the atomic half of "single use". The
/// session only says which ceremony is pending, not that no other request is completing it right now.
/// </summary>
internal interface IUsedCeremonyStore
{
    /// <summary>
    /// Marks a ceremony as used; false when it already was. Uses older than <paramref name="keepFor"/> are forgotten.
    /// </summary>
    Task<bool> TryConsumeAsync(string ceremonyState, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken = default);
}
