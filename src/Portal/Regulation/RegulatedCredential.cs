using Portal.Audit;

namespace Portal.Regulation;

/// <summary>
/// The one regulated-credential policy of every sign-in path (password form, basic credentials, security key, passkey,
/// password after a passkey): ban check → verify → record, in line per user and IP on this node and across the nodes
/// sharing the storage (<see cref="Regulator.SerializeAsync"/>), then, with that line released, the failure delay. Banned, unknown and
/// wrong all come back as "not succeeded", so callers cannot answer them differently by accident. Every checked
/// credential is one audit event (sign-in or second factor; a ban it causes another) and one measurement.
/// </summary>
internal sealed class RegulatedCredential(Regulator regulator, TimeProvider time, AuthenticationMetrics? metrics = null, AuditTrail? audit = null)
{
    /// <summary>This portal's delay for each path.</summary>
    public FailureDelays Delays { get; } = new();

    /// <param name="verify">checks the credential; runs once, and (unless the attempt names no user) inside the line</param>
    public async Task<CredentialCheck> CheckAsync(CredentialAttempt attempt, Func<CancellationToken, ValueTask<CredentialVerdict>> verify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(verify);
        var started = time.GetTimestamp();
        CredentialVerdict? verdict = null;
        if (attempt.Username is null)
        {
            // A passkey names its owner only once verified: before that only the IP could be banned.
            verdict = await verify(cancellationToken);
            if (!verdict.IsGuess)
            {
                return new CredentialCheck(false, false, false, verdict.Owner ?? "");
            }
        }
        var username = attempt.Username ?? verdict?.Owner ?? "";
        BanResult ban;
        BanResult caused;
        bool succeeded;
        await using (await regulator.SerializeAsync(username, attempt.ClientIp, cancellationToken))
        {
            // The ban first: a remembered credential must not outlive a ban.
            ban = await regulator.BanCheckAsync(username, attempt.ClientIp, cancellationToken);
            if (!ban.IsBanned && attempt.Remembered?.Invoke() is { } remembered)
            {
                return new CredentialCheck(true, true, false, remembered, Remembered: true);
            }
            if (verdict is null && (!ban.IsBanned || attempt.VerifyWhenBanned))
            {
                verdict = await verify(cancellationToken);
                if (!verdict.IsGuess)
                {
                    return new CredentialCheck(false, false, false, username);
                }
            }
            succeeded = verdict is { IsRight: true } && !ban.IsBanned;
            caused = await regulator.RecordAttemptAsync(new AuthenticationAttempt(succeeded, ban.IsBanned, username, attempt.AuthType, attempt.ClientIp,
                attempt.RequestUri, attempt.RequestMethod), cancellationToken);
        }
        // Outside the line: a failure waiting out its delay must not hold up this user's or this IP's next attempt.
        var elapsed = time.GetElapsedTime(started);
        metrics?.Attempted(attempt.AuthType, succeeded, ban.IsBanned, elapsed);
        Audit(attempt, username, succeeded, ban, caused);
        if (succeeded)
        {
            attempt.Delay.RecordSuccess(elapsed);
        }
        else if (attempt.Delay.Remaining(elapsed) is var wait && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }
        return new CredentialCheck(succeeded, true, ban.IsBanned, username);
    }

    private void Audit(CredentialAttempt attempt, string username, bool succeeded, BanResult ban, BanResult caused)
    {
        if (audit is null)
        {
            return;
        }
        var result = succeeded ? AuditTrail.Success : ban.IsBanned ? AuditTrail.Banned : AuditTrail.Failure;
        if (attempt.AuthType is AuthenticationTypes.OneFactor or AuthenticationTypes.Passkey)
        {
            audit.SignIn(username, attempt.ClientIp, attempt.AuthType, result);
        }
        else
        {
            audit.SecondFactor(username, attempt.ClientIp, attempt.AuthType, result);
        }
        if (caused is { Subject: { } subject, Expires: { } until })
        {
            audit.Ban(username, attempt.ClientIp, attempt.AuthType, subject == RegulationSubject.Ip ? "ip" : "user", until);
        }
    }
}
