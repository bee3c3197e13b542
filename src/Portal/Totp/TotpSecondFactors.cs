using Portal.Elevation;

namespace Portal.Totp;

/// <summary><see cref="IUserSecondFactors"/> for TOTP: a configuration counts for every relying party (it names none).</summary>
internal sealed class TotpSecondFactors(ITotpConfigurationStore store) : IUserSecondFactors
{
    public Task<bool> HasAnyAsync(string username, CancellationToken cancellationToken) => store.HasAsync(username, cancellationToken);

    public Task<bool> HasAnyAsync(string rpId, string username, CancellationToken cancellationToken) => store.HasAsync(username, cancellationToken);
}
