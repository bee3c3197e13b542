using Portal.Users;

namespace Portal.Session;

/// <summary>
/// Everything the portal keeps about one browser session. Serialised as JSON into the session store, so it holds
/// only data: the level is computed from <see cref="AuthenticationMethods"/> by <see cref="AuthenticationLevels"/>.
/// </summary>
internal sealed class UserSession
{
    /// <summary>The cookie domain the session was issued for; a session presented on another domain is discarded.</summary>
    public string CookieDomain { get; set; } = "";

    /// <summary>
    /// What the store held when this session was loaded or last saved (opaque to everyone but the store), so that a
    /// save that must not overwrite a newer one can tell (<see cref="ISessionStore.SaveIfUnchangedAsync"/>).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    internal object? StoredForm { get; set; }

    /// <summary>Empty for an anonymous session.</summary>
    public string Username { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public List<string> Groups { get; set; } = [];
    public List<string> Emails { get; set; } = [];

    /// <summary>"Remember me" was ticked at login. Only honoured while <c>remember_me</c> is enabled.</summary>
    public bool KeepMeLoggedIn { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastActivity { get; set; }
    public DateTimeOffset? FirstFactorAuthnTimestamp { get; set; }
    public DateTimeOffset? SecondFactorAuthnTimestamp { get; set; }

    public AuthenticationMethods AuthenticationMethods { get; set; } = new();

    /// <summary>The client address the user signed in from (for "your sessions"; empty for older sessions).</summary>
    public string SignInIp { get; set; } = "";

    /// <summary>The browser's User-Agent at sign-in, shortened and without control characters.</summary>
    public string SignInUserAgent { get; set; } = "";

    /// <summary>Set after an emailed one-time code was verified; needed to manage credentials.</summary>
    public SessionElevation? Elevation { get; set; }

    /// <summary>A WebAuthn ceremony started but not finished (registration or login).</summary>
    public WebAuthnCeremony? WebAuthnCeremony { get; set; }

    /// <summary>A TOTP secret shown for registration and not yet confirmed with a code.</summary>
    public TotpRegistration? TotpRegistration { get; set; }

    public bool IsAnonymous => string.IsNullOrEmpty(Username);

    /// <summary>A new anonymous session for <paramref name="cookieDomain"/>.</summary>
    public static UserSession NewAnonymous(string cookieDomain, DateTimeOffset now) =>
        new() { CookieDomain = cookieDomain, CreatedAt = now, LastActivity = now };

    public AuthenticationLevel Level(bool passkeyUvCountsAsTwoFactor) =>
        AuthenticationLevels.Level(this, passkeyUvCountsAsTwoFactor);

    /// <summary>A password login. Regenerate the session id afterwards.</summary>
    /// <summary>
    /// Forgets everything a previous login proved (factors, elevation, pending ceremony) before a new first factor,
    /// as Authelia destroys and recreates the session: nothing from an earlier user or attempt carries over.
    /// </summary>
    public void ResetForLogin(DateTimeOffset now)
    {
        Username = "";
        DisplayName = "";
        Groups = [];
        Emails = [];
        KeepMeLoggedIn = false;
        CreatedAt = now;
        LastActivity = now;
        FirstFactorAuthnTimestamp = null;
        SecondFactorAuthnTimestamp = null;
        AuthenticationMethods = new AuthenticationMethods();
        SignInIp = "";
        SignInUserAgent = "";
        Elevation = null;
        WebAuthnCeremony = null;
        TotpRegistration = null;
    }

    public void SetOneFactorPassword(DateTimeOffset now, UserDetails user, bool keepMeLoggedIn)
    {
        ArgumentNullException.ThrowIfNull(user);
        SetUser(user);
        KeepMeLoggedIn = keepMeLoggedIn;
        FirstFactorAuthnTimestamp = now;
        LastActivity = now;
        AuthenticationMethods.UsernameAndPassword = true;
        AuthenticationMethods.KnowledgeBasedAuthentication = true;
    }

    /// <summary>A passkey login (discoverable credential). Regenerate the session id afterwards.</summary>
    public void SetOneFactorPasskey(
        DateTimeOffset now, UserDetails user, bool keepMeLoggedIn, bool crossPlatform, bool userPresent, bool userVerified)
    {
        ArgumentNullException.ThrowIfNull(user);
        SetUser(user);
        KeepMeLoggedIn = keepMeLoggedIn;
        FirstFactorAuthnTimestamp = now;
        LastActivity = now;
        AuthenticationMethods.SetWebAuthnAssertion(crossPlatform, userPresent, userVerified);
        // The key itself now stands behind the level, so what the recovery code withheld (skipping elevation) applies again.
        AuthenticationMethods.RecoveryCode = false;
    }

    /// <summary>A WebAuthn assertion as the second factor. Regenerate the session id afterwards.</summary>
    public void SetTwoFactorWebAuthn(DateTimeOffset now, bool crossPlatform, bool userPresent, bool userVerified)
    {
        SecondFactorAuthnTimestamp = now;
        LastActivity = now;
        AuthenticationMethods.SetWebAuthnAssertion(crossPlatform, userPresent, userVerified);
        // The key itself now stands behind the level, so what the recovery code withheld (skipping elevation) applies again.
        AuthenticationMethods.RecoveryCode = false;
    }

    /// <summary>A recovery code in place of the second factor. Regenerate the session id afterwards.</summary>
    public void SetTwoFactorRecoveryCode(DateTimeOffset now)
    {
        SecondFactorAuthnTimestamp = now;
        LastActivity = now;
        AuthenticationMethods.RecoveryCode = true;
    }

    /// <summary>A TOTP code as the second factor. Regenerate the session id afterwards.</summary>
    public void SetTwoFactorTotp(DateTimeOffset now)
    {
        SecondFactorAuthnTimestamp = now;
        LastActivity = now;
        AuthenticationMethods.Totp = true;
        // The app itself now stands behind the level, so what a recovery code withheld (skipping elevation) applies again.
        AuthenticationMethods.RecoveryCode = false;
    }

    /// <summary>The password after a passkey login. Regenerate the session id afterwards.</summary>
    public void SetTwoFactorPassword(DateTimeOffset now)
    {
        SecondFactorAuthnTimestamp = now;
        LastActivity = now;
        AuthenticationMethods.UsernameAndPassword = true;
        AuthenticationMethods.KnowledgeBasedAuthentication = true;
    }

    /// <summary>Refreshed details from the authentication backend.</summary>
    /// <summary>
    /// A deep copy, for stores that keep a parsed session and hand each request its own (cheaper than parsing the
    /// stored JSON again). <c>UserSessionCopyTests</c> fails when a property is added here but not copied.
    /// </summary>
    public UserSession Copy() => new()
    {
        CookieDomain = CookieDomain,
        StoredForm = StoredForm,
        Username = Username,
        DisplayName = DisplayName,
        Groups = [.. Groups],
        Emails = [.. Emails],
        KeepMeLoggedIn = KeepMeLoggedIn,
        CreatedAt = CreatedAt,
        LastActivity = LastActivity,
        FirstFactorAuthnTimestamp = FirstFactorAuthnTimestamp,
        SecondFactorAuthnTimestamp = SecondFactorAuthnTimestamp,
        AuthenticationMethods = AuthenticationMethods.Copy(),
        SignInIp = SignInIp,
        SignInUserAgent = SignInUserAgent,
        Elevation = Elevation?.Copy(),
        WebAuthnCeremony = WebAuthnCeremony?.Copy(),
        TotpRegistration = TotpRegistration?.Copy(),
    };

    /// <summary>Where the sign-in came from, for the user's list of sessions.</summary>
    public void RecordSignIn(string ip, string? userAgent)
    {
        SignInIp = ip;
        var agent = userAgent ?? "";
        agent = agent.Length > MaxUserAgent ? agent[..MaxUserAgent] : agent;
        SignInUserAgent = string.Concat(agent.Where(c => !char.IsControl(c)));
    }

    private const int MaxUserAgent = 200;

    /// <summary>True when the session already carries exactly these details (nothing to copy).</summary>
    public bool Holds(UserDetails user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Username == user.Username && DisplayName == user.DisplayName
            && Groups.SequenceEqual(user.Groups, StringComparer.Ordinal) && Emails.SequenceEqual(user.Emails, StringComparer.Ordinal);
    }

    public void SetUser(UserDetails user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Username = user.Username;
        DisplayName = user.DisplayName;
        Groups = [.. user.Groups];
        Emails = [.. user.Emails];
    }
}
