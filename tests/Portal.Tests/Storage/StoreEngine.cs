using Portal.Elevation;
using Portal.RecoveryCodes;
using Portal.Regulation;
using Portal.Storage;
using Portal.Tests.Support;
using Portal.Totp;
using Portal.WebAuthn;

namespace Portal.Tests.Storage;

/// <summary>
/// One storage engine's database, opened for a store contract test, on a manual clock: the same contract runs on
/// each engine (<see cref="SqliteStoreEngine"/>, <see cref="PostgresStoreEngine"/>). Disposing closes it.
/// </summary>
internal abstract class StoreEngine : IDisposable
{
    public ManualTimeProvider Time { get; init; } = new();

    public abstract StorageEncryption Encryption { get; }

    public abstract IAuthenticationLogStore AuthenticationLog();

    public abstract IWebAuthnCredentialStore Credentials();

    public abstract IUsedCeremonyStore UsedCeremonies();

    public abstract IPasskeyOfferStore PasskeyOffers();

    public abstract IOneTimeCodeStore OneTimeCodes();

    public abstract ITotpConfigurationStore TotpConfigurations();
    public abstract IRecoveryCodeStore RecoveryCodes();

    /// <summary>The same database opened a second time (another pool; for PostgreSQL another node), on the same clock.</summary>
    public abstract StoreEngine SecondNode();

    /// <summary>The raw stored value of <paramref name="column"/> in the first row of <paramref name="table"/>, read past the stores.</summary>
    public abstract object? RawValue(string table, string column);

    public abstract void Dispose();
}
