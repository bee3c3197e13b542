namespace Portal.Crypto;

/// <summary>
/// Gives back to the OS the memory a burst of password hashes took. An argon2id check allocates its whole memory
/// cost (64 MiB with Authelia's defaults) as managed arrays; the GC frees them but keeps the pages committed, so a
/// portal that checked one password sat at 150 MB resident while idle. A compacting collection a few seconds after
/// the last hash returns them; it runs at most once per <see cref="Quiet"/>, never while hashes keep coming.
/// </summary>
internal static class MemoryTrim
{
    /// <summary>How long after the last large allocation the trim waits (and so the least time between two).</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);

    private static readonly Timer Pending = new(_ => Trim(), null, Timeout.Infinite, Timeout.Infinite);

    /// <summary>Called after work that allocated a lot and dropped it: (re)starts the quiet period.</summary>
    public static void AfterLargeAllocation() => Pending.Change(Quiet, Timeout.InfiniteTimeSpan);

    private static void Trim() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
