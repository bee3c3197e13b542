namespace Portal.WebAuthn;

/// <summary>Remembers a user's "Not now" to the passkey enrollment offer (<c>webauthn.passkey_enrollment_snooze</c>).</summary>
internal interface IPasskeyOfferStore
{
    Task<DateTimeOffset?> SnoozedUntilAsync(string username, CancellationToken cancellationToken = default);

    Task SnoozeAsync(string username, DateTimeOffset until, CancellationToken cancellationToken = default);
}
