namespace Portal.Regulation;

/// <summary>Persistence for authentication attempts and bans. Keys are canonicalised by the implementation.</summary>
internal interface IAuthenticationLogStore
{
    /// <summary>Appends one attempt; returns its id.</summary>
    Task<long> AppendAsync(
        DateTimeOffset time, AuthenticationAttempt attempt, CancellationToken cancellationToken = default);

    /// <summary>
    /// The most recent attempts by <paramref name="subject"/> strictly after <paramref name="since"/>, newest first,
    /// at most <paramref name="limit"/>, restricted to <paramref name="authTypes"/>. Attempts refused because of a
    /// ban are left out: no credential was checked, so they say nothing about guessing.
    /// </summary>
    Task<IReadOnlyList<AuthenticationLogEntry>> ReadRecentAttemptsAsync(
        RegulationSubject subject,
        string value,
        DateTimeOffset since,
        IReadOnlySet<string> authTypes,
        bool failuresOnly,
        int limit,
        CancellationToken cancellationToken = default);

    /// <summary>Inserts a ban; <paramref name="expires"/> null makes it permanent. Returns its id.</summary>
    Task<long> AddBanAsync(
        RegulationSubject subject,
        string value,
        DateTimeOffset time,
        DateTimeOffset? expires,
        string source,
        string? reason,
        CancellationToken cancellationToken = default);

    /// <summary>The unrevoked ban on <paramref name="value"/> that lasts longest at <paramref name="now"/>, if any.</summary>
    Task<Ban?> FindActiveBanAsync(
        RegulationSubject subject, string value, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Bans, newest first; only those in force at <paramref name="now"/> unless <paramref name="includeInactive"/>.</summary>
    Task<IReadOnlyList<Ban>> ListBansAsync(
        RegulationSubject subject, DateTimeOffset now, bool includeInactive, CancellationToken cancellationToken = default);

    /// <summary>Revokes one ban by id; false when there is no such unrevoked ban.</summary>
    Task<bool> RevokeBanAsync(
        RegulationSubject subject, long id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Revokes every unrevoked ban on <paramref name="value"/>; returns how many.</summary>
    Task<int> RevokeBansAsync(
        RegulationSubject subject, string value, DateTimeOffset now, CancellationToken cancellationToken = default);
}
