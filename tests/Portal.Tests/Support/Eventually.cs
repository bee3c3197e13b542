namespace Portal.Tests.Support;

/// <summary>
/// Waits for something that happens in the background: a watcher reloading a file, a server starting, a client
/// reconnecting, a mail arriving. There is no single moment to assert at, so it polls (quickly at first, then every
/// quarter second). The limit only bounds a broken run; no test asserts how long the wait took.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds. An exception <paramref name="retryOn"/> accepts counts as
    /// "not yet" (the last one is kept for the failure); any other exception ends the wait at once, so a condition can
    /// fail fast (e.g. when the process it waits for has exited). After <paramref name="limit"/> (default 30 s) the
    /// test fails with a <see cref="TimeoutException"/> naming <paramref name="what"/>.
    /// </summary>
    public static async Task UntilAsync(string what, Func<Task<bool>> condition, TimeSpan? limit = null, Func<Exception, bool>? retryOn = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? DefaultLimit);
        var pause = FirstPause;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (retryOn?.Invoke(e) == true)
            {
                last = e;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"gave up after {(limit ?? DefaultLimit).TotalSeconds:0} s waiting for {what}", last);
            }
            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }

    /// <inheritdoc cref="UntilAsync(string, Func{Task{bool}}, TimeSpan?, Func{Exception, bool}?)"/>
    public static Task UntilAsync(string what, Func<bool> condition, TimeSpan? limit = null) =>
        UntilAsync(what, () => Task.FromResult(condition()), limit);

    /// <summary>
    /// Polls <paramref name="attempt"/> until it gives a value (null is "not yet") and returns it; otherwise as
    /// <see cref="UntilAsync(string, Func{Task{bool}}, TimeSpan?, Func{Exception, bool}?)"/>.
    /// </summary>
    public static async Task<T> ValueAsync<T>(string what, Func<Task<T?>> attempt, TimeSpan? limit = null, Func<Exception, bool>? retryOn = null)
        where T : class
    {
        T? value = null;
        await UntilAsync(what, async () => (value = await attempt()) is not null, limit, retryOn);
        return value!;
    }
}
