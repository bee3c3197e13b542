namespace Portal.Tests.Support;

/// <summary>A clock that moves only when a test moves it. Thread-safe: a running portal reads it from request threads.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;
    private readonly List<TimeSpan> _timers = [];

    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>
    /// Timers (<c>Task.Delay</c> on this clock, such as a failure delay) fire at once without moving the clock, and
    /// their due times are kept in <see cref="Timers"/>. Off by default: timers then run in real time.
    /// </summary>
    public bool FireTimersAtOnce { get; init; }

    /// <summary>The due time of every one-shot timer created while <see cref="FireTimersAtOnce"/> is on.</summary>
    public IReadOnlyList<TimeSpan> Timers
    {
        get
        {
            lock (_timers)
            {
                return [.. _timers];
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (!FireTimersAtOnce || period != Timeout.InfiniteTimeSpan || dueTime == Timeout.InfiniteTimeSpan)
        {
            return base.CreateTimer(callback, state, dueTime, period);
        }
        lock (_timers)
        {
            _timers.Add(dueTime);
        }
        // Not inline: Task.Delay keeps the timer it is handed, and may not be ready for its callback yet.
        ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
