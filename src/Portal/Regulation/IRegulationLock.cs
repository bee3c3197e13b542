namespace Portal.Regulation;

/// <summary>
/// The cross-node half of <see cref="Regulator.SerializeAsync"/>: while held, no other node sharing the storage runs
/// "ban check → verify → record" for the same key. The regulator's in-process line comes first, so a node asks for a
/// key here only once at a time; without this, two nodes could each pass the ban check before either recorded.
/// </summary>
internal interface IRegulationLock
{
    /// <summary>Holds <paramref name="keys"/>, taken in the order given (every caller gives IP, then user), until disposed.</summary>
    /// <exception cref="Storage.StorageException">The storage cannot hold the lock now (the sign-in answers 503).</exception>
    Task<IAsyncDisposable> HoldAsync(IReadOnlyList<RegulationLockKey> keys, CancellationToken cancellationToken);
}
