using System.Security.Cryptography;

namespace Portal.FirstFactor;

/// <summary>
/// Makes a failed login take as long as a successful one usually does (a moving average of recent successes, with a
/// floor and random jitter), so that response time doesn't tell an attacker whether a username exists, the password
/// was wrong, or the user is banned.
/// </summary>
internal sealed class TimingAttackDelay(TimeSpan minimum, int window = 10)
{
    private readonly Queue<double> _recent = new();
    private readonly Lock _lock = new();

    public void RecordSuccess(TimeSpan elapsed)
    {
        lock (_lock)
        {
            _recent.Enqueue(elapsed.TotalMilliseconds);
            while (_recent.Count > window)
            {
                _recent.Dequeue();
            }
        }
    }

    /// <summary>Waits until the failed attempt has taken about as long as a typical success.</summary>
    public Task WaitAsync(TimeSpan elapsed, CancellationToken cancellationToken)
    {
        double average;
        lock (_lock)
        {
            average = _recent.Count == 0 ? 0 : _recent.Average();
        }
        var target = Math.Max(average, minimum.TotalMilliseconds) + RandomNumberGenerator.GetInt32(0, 86);
        var remaining = target - elapsed.TotalMilliseconds;
        return remaining > 0 ? Task.Delay(TimeSpan.FromMilliseconds(remaining), cancellationToken) : Task.CompletedTask;
    }
}
