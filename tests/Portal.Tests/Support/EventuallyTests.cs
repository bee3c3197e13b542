namespace Portal.Tests.Support;

public sealed class EventuallyTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task It_returns_as_soon_as_the_condition_holds()
    {
        var calls = 0;
        await Eventually.UntilAsync("the third call", () => ++calls == 3);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task It_gives_up_after_the_limit_naming_what_it_waited_for()
    {
        var e = await Assert.ThrowsAsync<TimeoutException>(() => Eventually.UntilAsync("a condition that never holds", () => false, Short));
        Assert.EndsWith("waiting for a condition that never holds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exception_it_is_told_to_retry_counts_as_not_yet_and_the_last_one_is_reported()
    {
        var calls = 0;
        var value = await Eventually.ValueAsync("a value", () =>
            ++calls < 3 ? throw new IOException($"not yet {calls}") : Task.FromResult<string?>("ready"), retryOn: e => e is IOException);
        Assert.Equal("ready", value);

        var e = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.ValueAsync<string>("a value", () => throw new IOException("still down"), Short, retryOn: e => e is IOException));
        Assert.Equal("still down", Assert.IsType<IOException>(e.InnerException).Message);
    }

    [Fact]
    public async Task Any_other_exception_ends_the_wait_at_once()
    {
        var calls = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Eventually.UntilAsync("a process that exited", () => ++calls > 0 ? throw new InvalidOperationException("exited") : false));
        Assert.Equal(1, calls);
    }
}
