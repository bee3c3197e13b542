using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Configuration;
using Portal.Regulation;
using Portal.Tests.Support;

namespace Portal.Tests.Regulation;

/// <summary>
/// The one regulated-credential policy, with a fake verify and a manual clock whose timers fire at once (a failure
/// delay costs nothing and its length is asserted).
/// </summary>
public sealed class RegulatedCredentialTests
{
    private static readonly IPAddress ClientIp = IPAddress.Parse("192.0.2.10");
    private static readonly FailureDelay TwoSeconds = FailureDelay.AtLeast(TimeSpan.FromSeconds(2));

    private readonly ManualTimeProvider _time = new() { FireTimersAtOnce = true };
    private readonly RecordingAuthenticationLogStore _store = new();
    private readonly Regulator _regulator;
    private readonly RegulatedCredential _regulated;
    private int _verified;

    public RegulatedCredentialTests()
    {
        _regulator = new Regulator(new RegulationOptions { Modes = ["user", "ip"], MaxRetries = 3, FindTime = TimeSpan.FromMinutes(2), BanTime = TimeSpan.FromMinutes(5) },
            _store, _time, NullLogger<Regulator>.Instance);
        _regulated = new RegulatedCredential(_regulator, _time);
    }

    private static CredentialAttempt Attempt(string? username = "alice", FailureDelay? delay = null) =>
        new(username, ClientIp, AuthenticationTypes.OneFactor, "https://app.example.com/", "GET", delay ?? TwoSeconds);

    private Func<CancellationToken, ValueTask<CredentialVerdict>> Verify(CredentialVerdict verdict) => _ =>
    {
        Interlocked.Increment(ref _verified);
        return ValueTask.FromResult(verdict);
    };

    private async Task BanAliceAsync() =>
        await _store.AddBanAsync(RegulationSubject.User, "alice", _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(5), "test", null);

    [Fact]
    public async Task Right_credential_succeeds_is_recorded_as_a_success_and_does_not_wait()
    {
        var check = await _regulated.CheckAsync(Attempt(), Verify(CredentialVerdict.Right), CancellationToken.None);

        Assert.Equal(new CredentialCheck(true, true, false, "alice"), check);
        var attempt = Assert.Single(_store.Attempts);
        Assert.Equal((true, false, "alice", AuthenticationTypes.OneFactor, "https://app.example.com/", "GET"),
            (attempt.Successful, attempt.Banned, attempt.Username, attempt.AuthType, attempt.RequestUri, attempt.RequestMethod));
        Assert.Empty(_time.Timers);
        Assert.Equal(0, _regulator.HeldKeys);
    }

    [Fact]
    public async Task Wrong_credential_is_recorded_as_a_failure_and_waits_out_the_delay()
    {
        var check = await _regulated.CheckAsync(Attempt(), Verify(CredentialVerdict.Wrong), CancellationToken.None);

        Assert.Equal(new CredentialCheck(false, true, false, "alice"), check);
        var attempt = Assert.Single(_store.Attempts);
        Assert.Equal((false, false), (attempt.Successful, attempt.Banned));
        // The floor less what the check itself took.
        var wait = Assert.Single(_time.Timers);
        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Banned_user_is_still_verified_but_refused_and_recorded_as_banned()
    {
        await BanAliceAsync();

        var check = await _regulated.CheckAsync(Attempt(), Verify(CredentialVerdict.Right), CancellationToken.None);

        // The right password of a banned user: hashed (so timing does not tell the ban), refused, and waited like a wrong one.
        Assert.Equal(1, _verified);
        Assert.Equal(new CredentialCheck(false, true, true, "alice"), check);
        var attempt = Assert.Single(_store.Attempts);
        Assert.Equal((false, true), (attempt.Successful, attempt.Banned));
        Assert.Single(_time.Timers);
    }

    [Fact]
    public async Task Banned_user_is_not_verified_when_the_attempt_says_so()
    {
        await BanAliceAsync();

        var check = await _regulated.CheckAsync(Attempt() with { VerifyWhenBanned = false }, Verify(CredentialVerdict.Right), CancellationToken.None);

        Assert.Equal(0, _verified);
        Assert.Equal(new CredentialCheck(false, true, true, "alice"), check);
        Assert.True(Assert.Single(_store.Attempts).Banned);
    }

    [Fact]
    public async Task A_post_that_checked_no_credential_is_neither_recorded_nor_delayed()
    {
        var check = await _regulated.CheckAsync(Attempt(), Verify(CredentialVerdict.NoGuess), CancellationToken.None);

        Assert.Equal(new CredentialCheck(false, false, false, "alice"), check);
        Assert.Empty(_store.Attempts);
        Assert.Empty(_time.Timers);
        Assert.Equal(0, _regulator.HeldKeys);
    }

    [Fact]
    public async Task A_credential_that_names_its_owner_is_verified_first_and_the_owners_ban_applies_after()
    {
        await BanAliceAsync();

        var check = await _regulated.CheckAsync(Attempt(username: null), Verify(new CredentialVerdict(true, Owner: "alice")), CancellationToken.None);

        Assert.Equal(1, _verified);
        Assert.Equal(new CredentialCheck(false, true, true, "alice"), check);
        var attempt = Assert.Single(_store.Attempts);
        Assert.Equal(("alice", false, true), (attempt.Username, attempt.Successful, attempt.Banned));
    }

    [Fact]
    public async Task An_ownerless_post_that_checked_no_credential_is_not_recorded()
    {
        var check = await _regulated.CheckAsync(Attempt(username: null), Verify(CredentialVerdict.NoGuess), CancellationToken.None);

        Assert.False(check.Counted);
        Assert.Empty(_store.Attempts);
        Assert.Empty(_time.Timers);
    }

    [Fact]
    public async Task A_remembered_credential_succeeds_without_verifying_recording_or_waiting_unless_banned()
    {
        var remembered = Attempt() with { Remembered = () => "alice" };

        var check = await _regulated.CheckAsync(remembered, Verify(CredentialVerdict.Wrong), CancellationToken.None);

        Assert.Equal(new CredentialCheck(true, true, false, "alice", Remembered: true), check);
        Assert.Equal(0, _verified);
        Assert.Empty(_store.Attempts);

        // A ban outlives the memory: the credential is checked again, and refused.
        await BanAliceAsync();
        check = await _regulated.CheckAsync(remembered, Verify(CredentialVerdict.Right), CancellationToken.None);

        Assert.Equal(new CredentialCheck(false, true, true, "alice"), check);
        Assert.Equal(1, _verified);
        Assert.True(Assert.Single(_store.Attempts).Banned);
    }

    [Fact]
    public async Task Max_retries_wrong_credentials_ban_the_user_and_the_right_one_is_then_refused()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.False((await _regulated.CheckAsync(Attempt(), Verify(CredentialVerdict.Wrong), CancellationToken.None)).Succeeded);
        }

        var check = await _regulated.CheckAsync(Attempt(), Verify(CredentialVerdict.Right), CancellationToken.None);

        Assert.True(check.Banned);
        Assert.False(check.Succeeded);
    }

    [Fact]
    public async Task A_success_is_timed_for_a_delay_that_waits_like_a_success()
    {
        var likeSuccess = FailureDelay.LikeSuccess(TimeSpan.FromMilliseconds(250));

        await _regulated.CheckAsync(Attempt(delay: likeSuccess), Verify(CredentialVerdict.Right), CancellationToken.None);
        await _regulated.CheckAsync(Attempt(delay: likeSuccess), Verify(CredentialVerdict.Wrong), CancellationToken.None);

        // A fast success leaves the floor in charge: 250 ms plus at most 85 ms of jitter, less the check's own time.
        Assert.InRange(Assert.Single(_time.Timers), TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(335));
    }

    [Fact]
    public async Task The_line_is_released_before_the_failure_delay()
    {
        // A real-time clock and a long delay: the failure sits in its delay while the next attempt of the same user
        // and IP must get through the line.
        var regulated = new RegulatedCredential(_regulator, new ManualTimeProvider());
        using var cancel = new CancellationTokenSource();
        var waiting = regulated.CheckAsync(Attempt(delay: FailureDelay.AtLeast(TimeSpan.FromMinutes(5))), Verify(CredentialVerdict.Wrong), cancel.Token);
        while (_store.Attempts.Count == 0)
        {
            await Task.Delay(10);
        }

        var next = await regulated.CheckAsync(Attempt(), Verify(CredentialVerdict.Right), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(next.Succeeded);
        Assert.False(waiting.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
