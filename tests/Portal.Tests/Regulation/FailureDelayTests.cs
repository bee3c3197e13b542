using Portal.Regulation;

namespace Portal.Tests.Regulation;

public sealed class FailureDelayTests
{
    [Fact]
    public void A_fixed_floor_waits_what_is_left_of_it_and_ignores_successes()
    {
        var delay = FailureDelay.AtLeast(TimeSpan.FromSeconds(2));
        delay.RecordSuccess(TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), delay.Remaining(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(TimeSpan.Zero, delay.Remaining(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void Waiting_like_a_success_follows_the_average_of_recent_successes()
    {
        var delay = FailureDelay.LikeSuccess(TimeSpan.FromMilliseconds(100));
        Assert.InRange(delay.Remaining(TimeSpan.Zero), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(185));

        delay.RecordSuccess(TimeSpan.FromMilliseconds(400));
        delay.RecordSuccess(TimeSpan.FromMilliseconds(600));

        Assert.InRange(delay.Remaining(TimeSpan.FromMilliseconds(200)), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(385));
    }

    [Fact]
    public void Only_the_last_ten_successes_count()
    {
        var delay = FailureDelay.LikeSuccess(TimeSpan.Zero);
        delay.RecordSuccess(TimeSpan.FromSeconds(100));
        for (var i = 0; i < 10; i++)
        {
            delay.RecordSuccess(TimeSpan.FromMilliseconds(200));
        }

        Assert.InRange(delay.Remaining(TimeSpan.Zero), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(285));
    }

    [Fact]
    public void None_never_waits() => Assert.Equal(TimeSpan.Zero, FailureDelay.None.Remaining(TimeSpan.Zero));
}
