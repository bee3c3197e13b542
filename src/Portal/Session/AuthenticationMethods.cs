namespace Portal.Session;

/// <summary>
/// The authentication method references (AMR) recorded for a session: which kinds of proof the user has given.
/// Levels are derived from these flags (<see cref="AuthenticationLevels"/>), so the flags, not a stored level, are the
/// source of truth. New methods are added as new flags; <see cref="Extra"/> carries values we record but don't rank.
/// </summary>
internal sealed class AuthenticationMethods
{
    /// <summary>RFC 8176 <c>kba</c>: knowledge-based authentication.</summary>
    public bool KnowledgeBasedAuthentication { get; set; }

    /// <summary>RFC 8176 <c>pwd</c>: the user typed their password.</summary>
    public bool UsernameAndPassword { get; set; }

    /// <summary>RFC 8176 <c>otp</c>: a time-based one-time password.</summary>
    public bool Totp { get; set; }

    /// <summary>A WebAuthn assertion was verified (RFC 8176 <c>pop</c>).</summary>
    public bool WebAuthn { get; set; }

    /// <summary>RFC 8176 <c>hwk</c>: the authenticator was a roaming (cross-platform) key.</summary>
    public bool WebAuthnHardware { get; set; }

    /// <summary>RFC 8176 <c>swk</c>: the authenticator was a platform or synced authenticator.</summary>
    public bool WebAuthnSoftware { get; set; }

    /// <summary>RFC 8176 <c>user</c>: the UP flag of the latest assertion.</summary>
    public bool WebAuthnUserPresence { get; set; }

    /// <summary>
    /// RFC 8176 <c>pin</c>: the UV flag of the <em>latest</em> assertion. It is overwritten, never OR-ed, by each new
    /// assertion, because UV-as-2FA must reflect the proof just given, not the credential's history.
    /// </summary>
    public bool WebAuthnUserVerified { get; set; }

    /// <summary>
    /// A recovery code stood in for the second factor. It raises the level like any possession factor, but it is
    /// not the factor itself: it never skips the emailed code of an elevation (<c>skip_second_factor</c>).
    /// </summary>
    public bool RecoveryCode { get; set; }

    /// <summary>Other AMR values to report as-is (for example from a future method); they never raise the level.</summary>
    public List<string> Extra { get; set; } = [];

    /// <summary>Something the user knows.</summary>
    public bool FactorKnowledge => KnowledgeBasedAuthentication || UsernameAndPassword;

    /// <summary>Something the user has.</summary>
    public bool FactorPossession => Totp || WebAuthn || WebAuthnHardware || WebAuthnSoftware || RecoveryCode;

    /// <summary>Both kinds of factor, as opposed to a single passkey that happens to be user-verified.</summary>
    public bool MultiFactor => FactorKnowledge && FactorPossession;

    /// <summary>
    /// Records a verified WebAuthn assertion. Every WebAuthn flag is replaced so that a later assertion without UV
    /// drops the UV of an earlier one.
    /// </summary>
    /// <summary>A deep copy (see <see cref="UserSession.Copy"/>).</summary>
    public AuthenticationMethods Copy()
    {
        var copy = (AuthenticationMethods)MemberwiseClone();
        copy.Extra = [.. Extra];
        return copy;
    }

    public void SetWebAuthnAssertion(bool crossPlatform, bool userPresent, bool userVerified)
    {
        WebAuthn = true;
        WebAuthnHardware = crossPlatform;
        WebAuthnSoftware = !crossPlatform;
        WebAuthnUserPresence = userPresent;
        WebAuthnUserVerified = userVerified;
    }

    /// <summary>The RFC 8176 values, in a stable order, for logs, headers and tokens.</summary>
    public IReadOnlyList<string> ToAmrValues()
    {
        var values = new List<string>();
        if (UsernameAndPassword)
        {
            values.Add("pwd");
        }
        if (KnowledgeBasedAuthentication)
        {
            values.Add("kba");
        }
        if (Totp)
        {
            values.Add("otp");
        }
        if (WebAuthn)
        {
            values.Add("pop");
        }
        if (WebAuthnHardware)
        {
            values.Add("hwk");
        }
        if (WebAuthnSoftware)
        {
            values.Add("swk");
        }
        if (WebAuthnUserPresence)
        {
            values.Add("user");
        }
        if (WebAuthnUserVerified)
        {
            values.Add("pin");
        }
        if (MultiFactor)
        {
            values.Add("mfa");
        }
        foreach (var extra in Extra)
        {
            if (!values.Contains(extra, StringComparer.Ordinal))
            {
                values.Add(extra);
            }
        }
        return values;
    }
}
