namespace Portal.Regulation;

/// <summary>
/// Storage only one node can use (SQLite): the regulator's in-process line is already the whole line, so there is
/// nothing more to hold.
/// </summary>
internal sealed class SingleNodeRegulationLock : IRegulationLock
{
    public static readonly SingleNodeRegulationLock Instance = new();

    public Task<IAsyncDisposable> HoldAsync(IReadOnlyList<RegulationLockKey> keys, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(Nothing.Instance);

    private sealed class Nothing : IAsyncDisposable
    {
        public static readonly Nothing Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
