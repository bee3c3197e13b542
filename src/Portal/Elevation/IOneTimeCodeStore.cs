namespace Portal.Elevation;

/// <summary>
/// Emailed one-time codes. A code is found by its <see cref="OneTimeCodeSigner"/> signature and kept encrypted for
/// the constant-time comparison; usernames are keyed by <see cref="Users.Usernames.Key"/>.
/// </summary>
internal interface IOneTimeCodeStore
{
    /// <summary>
    /// Creates and stores a code for <paramref name="username"/> requesting from <paramref name="ip"/>, drawn from
    /// <see cref="OneTimeCodes.Charset"/>. Codes expired for longer than <see cref="OneTimeCodes.Retention"/> are pruned.
    /// </summary>
    Task<IssuedCode> IssueAsync(string username, string ip, string intent, int characters, TimeSpan lifespan, CancellationToken cancellationToken);

    /// <summary>
    /// Checks <paramref name="code"/> for the user and IP and, if it is valid, consumes it: of two concurrent
    /// submissions of the same code exactly one gets <see cref="CodeOutcome.Verified"/>.
    /// </summary>
    Task<(CodeOutcome Outcome, Guid PublicId)> ConsumeAsync(string username, string ip, string intent, string code, CancellationToken cancellationToken);

    /// <summary>Revokes an unused code by its public id (the email's revoke link).</summary>
    Task<RevokeOutcome> RevokeAsync(Guid publicId, string ip, CancellationToken cancellationToken);
}
