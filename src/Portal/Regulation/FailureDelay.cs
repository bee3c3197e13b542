using System.Security.Cryptography;

namespace Portal.Regulation;

/// <summary>
/// How long a refused credential takes to answer, so that response time does not tell an attacker whether the
/// username exists, the credential was wrong or the user is banned: at least <c>minimum</c>, or the average of the
/// last <c>window</c> successes when that is longer, plus random jitter. Only computes; the waiting is done on the
/// portal's <see cref="TimeProvider"/> by <see cref="RegulatedCredential"/>.
/// </summary>
internal sealed class FailureDelay
{
    private readonly TimeSpan _minimum;
    private readonly int _window;
    private readonly int _jitterMilliseconds;
    private readonly Queue<double> _recent = new();
    private readonly Lock _lock = new();

    /// <param name="minimum">the shortest a failure takes</param>
    /// <param name="window">how many recent successes to average; 0: a fixed floor</param>
    /// <param name="jitterMilliseconds">random extra below this many milliseconds; 0: none</param>
    public FailureDelay(TimeSpan minimum, int window, int jitterMilliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        ArgumentOutOfRangeException.ThrowIfNegative(jitterMilliseconds);
        (_minimum, _window, _jitterMilliseconds) = (minimum, window, jitterMilliseconds);
    }

    /// <summary>Answers at once (a security key: nothing is hashed, so there is no timing to hide).</summary>
    public static FailureDelay None { get; } = new(TimeSpan.Zero, 0, 0);

    /// <summary>A fixed floor, no averaging or jitter (basic credentials: every failure takes <paramref name="minimum"/>).</summary>
    public static FailureDelay AtLeast(TimeSpan minimum) => new(minimum, 0, 0);

    /// <summary>As long as a typical success (the last 10), at least <paramref name="minimum"/>, plus 0–85 ms.</summary>
    public static FailureDelay LikeSuccess(TimeSpan minimum) => new(minimum, 10, 86);

    public void RecordSuccess(TimeSpan elapsed)
    {
        if (_window == 0)
        {
            return;
        }
        lock (_lock)
        {
            _recent.Enqueue(elapsed.TotalMilliseconds);
            while (_recent.Count > _window)
            {
                _recent.Dequeue();
            }
        }
    }

    /// <summary>How much longer a failure that has taken <paramref name="elapsed"/> so far must wait; zero for none.</summary>
    public TimeSpan Remaining(TimeSpan elapsed)
    {
        double average;
        lock (_lock)
        {
            average = _recent.Count == 0 ? 0 : _recent.Average();
        }
        var jitter = _jitterMilliseconds == 0 ? 0 : RandomNumberGenerator.GetInt32(0, _jitterMilliseconds);
        var remaining = Math.Max(average, _minimum.TotalMilliseconds) + jitter - elapsed.TotalMilliseconds;
        return remaining > 0 ? TimeSpan.FromMilliseconds(remaining) : TimeSpan.Zero;
    }
}
