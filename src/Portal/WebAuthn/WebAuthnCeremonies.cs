using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Users;
using Portal.Configuration;
using Portal.Session;
using Portal.Storage;

namespace Portal.WebAuthn;

/// <summary>
/// <see cref="IWebAuthnCeremonies"/> over ASP.NET Core Identity's <see cref="PasskeyHandler{TUser}"/>. The handler does
/// the cryptographic verification (client data, RP ID hash, flags, signature, credential ownership); this class adds
/// what the portal's policy needs: per-request relying party, <c>credProps</c> and attestation preference in the
/// options, ceremony binding and expiry, AAGUID/backup filtering, Authelia's counter rule with a stored clone warning,
/// and the stored credential record.
/// </summary>
internal sealed partial class WebAuthnCeremonies(
    WebAuthnOptions options,
    IWebAuthnCredentialStore credentials,
    IUserProvider users,
    TimeProvider time,
    ILogger<WebAuthnCeremonies> logger) : IWebAuthnCeremonies
{
    private static readonly IServiceProvider NoServices = new ServiceCollection().BuildServiceProvider();

    public async Task<RegistrationStart> BeginRegistrationAsync(RelyingParty rp, UserDetails user, string? description, bool requireDiscoverable = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rp);
        ArgumentNullException.ThrowIfNull(user);
        var name = CredentialNames.Normalize(description);
        if (name is null)
        {
            return new RegistrationStart(RegistrationStartStatus.InvalidDescription, null);
        }
        var existing = await credentials.ListAsync(rp.Id, user.Username, cancellationToken);
        if (existing.Any(c => string.Equals(c.Description, name, StringComparison.OrdinalIgnoreCase)))
        {
            return new RegistrationStart(RegistrationStartStatus.DuplicateDescription, null);
        }
        var handle = await credentials.GetOrCreateUserHandleAsync(rp.Id, user.Username, cancellationToken);
        var entity = new PasskeyUserEntity { Id = handle, Name = user.Username, DisplayName = user.DisplayName.Length > 0 ? user.DisplayName : user.Username };

        using var userManager = NewUserManager(rp);
        var created = await NewHandler(rp, userManager).MakeCreationOptionsAsync(entity, Placeholder());
        var json = JsonNode.Parse(created.CreationOptionsJson)!.AsObject();
        // Identity names the RP after its domain and leaves out attestation and extensions; the portal has settings.
        json["rp"]!.AsObject()["name"] = options.DisplayName;
        json["attestation"] = options.AttestationConveyancePreference;
        json["timeout"] = (long)options.Timeout.TotalMilliseconds;
        json["extensions"] = new JsonObject { ["credProps"] = true };
        if (requireDiscoverable)
        {
            var selection = json["authenticatorSelection"] as JsonObject ?? [];
            selection["residentKey"] = "required";
            selection["requireResidentKey"] = true;
            json["authenticatorSelection"] = selection;
        }

        var ceremony = new WebAuthnCeremony
        {
            Kind = WebAuthnCeremonyKind.Attestation,
            State = created.AttestationState ?? "",
            Description = name,
            CreatedAt = time.GetUtcNow(),
            RpId = rp.Id,
            Username = Usernames.Key(user.Username),
        };
        return new RegistrationStart(RegistrationStartStatus.Started, new CeremonyStart(json.ToJsonString(), ceremony));
    }

    public async Task<RegistrationOutcome> CompleteRegistrationAsync(RelyingParty rp, string username, WebAuthnCeremony? ceremony, string credentialJson,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rp);
        var canonical = Usernames.Key(username);
        if (CheckCeremony(rp, canonical, ceremony, WebAuthnCeremonyKind.Attestation) is { } refused)
        {
            return new RegistrationOutcome(refused.Failure, refused.Reason, null);
        }
        if (!TryParse(credentialJson, out var credential))
        {
            return new RegistrationOutcome(CeremonyFailure.Rejected, "the response is not JSON", null);
        }

        using var userManager = NewUserManager(rp);
        var result = await NewHandler(rp, userManager).PerformAttestationAsync(new PasskeyAttestationContext
        {
            HttpContext = Placeholder(),
            CredentialJson = credentialJson,
            AttestationState = ceremony!.State,
        });
        if (!result.Succeeded)
        {
            return new RegistrationOutcome(
                result.Failure.Message.Contains("already registered", StringComparison.OrdinalIgnoreCase) ? CeremonyFailure.DuplicateCredential : CeremonyFailure.Rejected,
                result.Failure.Message, null);
        }
        var handle = await credentials.FindUserHandleAsync(rp.Id, canonical, cancellationToken);
        if (!string.Equals(result.UserEntity.Id, handle, StringComparison.Ordinal))
        {
            return new RegistrationOutcome(CeremonyFailure.NoCeremony, "the ceremony was started for another user handle", null);
        }
        var passkey = result.Passkey;
        var attestation = AuthenticatorDataReader.ReadAttestationObject(passkey.AttestationObject);
        if (attestation is null)
        {
            return new RegistrationOutcome(CeremonyFailure.Rejected, "the attestation object could not be read", null);
        }
        var facts = attestation.Authenticator;
        if (Filter(facts.Aaguid, facts.BackupEligible, attestation.Format) is { } notPermitted)
        {
            return new RegistrationOutcome(CeremonyFailure.NotPermitted, notPermitted, null);
        }

        var record = new WebAuthnCredential
        {
            CreatedAt = time.GetUtcNow(),
            RpId = rp.Id,
            Username = canonical,
            Description = ceremony.Description,
            Kid = passkey.CredentialId,
            Aaguid = facts.Aaguid,
            AttestationType = attestation.Type,
            AttestationFormat = attestation.Format,
            Attachment = AuthenticatorDataReader.Attachment(credential),
            Transports = passkey.Transports ?? [],
            SignCount = facts.SignCount,
            Discoverable = AuthenticatorDataReader.ResidentKey(credential),
            Present = facts.UserPresent,
            Verified = facts.UserVerified,
            BackupEligible = facts.BackupEligible,
            BackupState = facts.BackedUp,
            PublicKey = passkey.PublicKey,
            Attestation = passkey.AttestationObject,
        };
        var (write, id) = await credentials.AddAsync(record, cancellationToken);
        return write switch
        {
            CredentialWriteResult.Done => new RegistrationOutcome(CeremonyFailure.None, "", record with { Id = id }),
            CredentialWriteResult.DuplicateDescription => new RegistrationOutcome(CeremonyFailure.DuplicateDescription, "the name was taken meanwhile", null),
            _ => new RegistrationOutcome(CeremonyFailure.DuplicateCredential, "the credential ID is already registered", null),
        };
    }

    public async Task<CeremonyStart?> BeginAssertionAsync(RelyingParty rp, string? username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rp);
        WebAuthnUser? user = null;
        if (username is not null)
        {
            var canonical = Usernames.Key(username);
            var handle = await credentials.FindUserHandleAsync(rp.Id, canonical, cancellationToken);
            if (handle is null || !await credentials.HasAnyAsync(rp.Id, canonical, cancellationToken))
            {
                return null;
            }
            user = new WebAuthnUser(handle, canonical);
        }
        using var userManager = NewUserManager(rp);
        var request = await NewHandler(rp, userManager).MakeRequestOptionsAsync(user, Placeholder());
        var json = JsonNode.Parse(request.RequestOptionsJson)!.AsObject();
        json["timeout"] = (long)options.Timeout.TotalMilliseconds;
        var ceremony = new WebAuthnCeremony
        {
            Kind = WebAuthnCeremonyKind.Assertion,
            State = request.AssertionState ?? "",
            CreatedAt = time.GetUtcNow(),
            RpId = rp.Id,
            Username = user?.UserName ?? "",
        };
        return new CeremonyStart(json.ToJsonString(), ceremony);
    }

    public async Task<AssertionOutcome> CompleteAssertionAsync(RelyingParty rp, string? username, WebAuthnCeremony? ceremony, string credentialJson,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rp);
        var canonical = username is null ? "" : Usernames.Key(username);
        if (CheckCeremony(rp, canonical, ceremony, WebAuthnCeremonyKind.Assertion) is { } refused)
        {
            return AssertionOutcome.Fail(refused.Failure, refused.Reason);
        }
        if (!TryParse(credentialJson, out var credential))
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, "the response is not JSON");
        }

        using var userManager = NewUserManager(rp);
        var result = await NewHandler(rp, userManager).PerformAssertionAsync(new PasskeyAssertionContext
        {
            HttpContext = Placeholder(),
            CredentialJson = credentialJson,
            AssertionState = ceremony!.State,
        });
        if (!result.Succeeded)
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, result.Failure.Message);
        }
        var owner = result.User.UserName;
        if (username is not null && !string.Equals(owner, canonical, StringComparison.Ordinal))
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, "the credential belongs to another user");
        }
        var stored = await credentials.FindByKidAsync(result.Passkey.CredentialId, cancellationToken);
        var facts = AuthenticatorDataReader.ReadAssertion(credential);
        if (stored is null || facts is not { } f || !string.Equals(stored.RpId, rp.Id, StringComparison.Ordinal) || !string.Equals(stored.Username, owner, StringComparison.Ordinal))
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, "the verified credential is no longer stored");
        }
        // A passkey login (no username: the user came from the handle) may only use credentials known to be
        // discoverable, unless the upgrade switch lets one prove it is by working here (then it is marked below).
        var passkeyLogin = username is null;
        if (passkeyLogin && !stored.Discoverable && !options.ExperimentalEnablePasskeyUpgrade)
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, "the credential is not known to be discoverable (experimental_enable_passkey_upgrade is off)", owner, stored);
        }
        if (stored.CloneWarning)
        {
            return AssertionOutcome.Fail(CeremonyFailure.CloneWarning, "the credential carries a clone warning", owner, stored);
        }
        // Authelia's (and WebAuthn §7.2 step 22's) rule: a counter that is in use must grow. 0 and 0 is a synced
        // passkey without a counter and is fine; ceremonies being single use is then the only replay guard.
        if ((f.SignCount != 0 || stored.SignCount != 0) && f.SignCount <= stored.SignCount)
        {
            await credentials.SetCloneWarningAsync(stored.Id, cancellationToken);
            LogCloneWarning(logger, stored.Id, owner, stored.SignCount, f.SignCount);
            return AssertionOutcome.Fail(CeremonyFailure.CloneWarning, $"the counter went from {stored.SignCount} to {f.SignCount}", owner, stored);
        }
        if (Filter(stored.Aaguid, f.BackupEligible, stored.AttestationFormat) is { } notPermitted)
        {
            return AssertionOutcome.Fail(CeremonyFailure.NotPermitted, notPermitted, owner, stored);
        }
        var now = time.GetUtcNow();
        if (!await credentials.UpdateSignInAsync(stored.Id, f.SignCount, f.BackedUp, now, cancellationToken))
        {
            // Another assertion of this credential stored its counter after we read ours (or set the warning): with
            // the same or a higher counter, so the rule above now fails for this one. Concurrent clones land here.
            var current = await credentials.FindByKidAsync(result.Passkey.CredentialId, cancellationToken);
            if (current is null)
            {
                return AssertionOutcome.Fail(CeremonyFailure.Rejected, "the verified credential is no longer stored");
            }
            await credentials.SetCloneWarningAsync(current.Id, cancellationToken);
            LogCloneWarning(logger, current.Id, owner, current.SignCount, f.SignCount);
            return AssertionOutcome.Fail(CeremonyFailure.CloneWarning, $"the counter went from {current.SignCount} to {f.SignCount}", owner, current);
        }
        var discoverable = stored.Discoverable;
        if (passkeyLogin && !discoverable)
        {
            await credentials.SetDiscoverableAsync(stored.Id, cancellationToken);
            discoverable = true;
            LogUpgraded(logger, stored.Id, owner);
        }
        var attachment = AuthenticatorDataReader.Attachment(credential);
        var crossPlatform = (attachment.Length > 0 ? attachment : stored.Attachment) == "cross-platform";
        return new AssertionOutcome(CeremonyFailure.None, "", owner,
            stored with { SignCount = f.SignCount, BackupState = f.BackedUp, LastUsedAt = now, Discoverable = discoverable }, f.UserPresent, f.UserVerified, crossPlatform);
    }

    private (CeremonyFailure Failure, string Reason)? CheckCeremony(RelyingParty rp, string canonicalUsername, WebAuthnCeremony? ceremony, WebAuthnCeremonyKind kind)
    {
        if (ceremony is null || ceremony.Kind != kind || ceremony.State.Length == 0)
        {
            return (CeremonyFailure.NoCeremony, "no pending ceremony of this kind");
        }
        if (!string.Equals(ceremony.RpId, rp.Id, StringComparison.Ordinal) || !string.Equals(ceremony.Username, canonicalUsername, StringComparison.Ordinal))
        {
            return (CeremonyFailure.NoCeremony, "the ceremony was started for another RP ID or user");
        }
        return time.GetUtcNow() > ceremony.CreatedAt + options.Timeout ? (CeremonyFailure.Expired, "the ceremony timed out") : null;
    }

    /// <summary><c>webauthn.filtering</c>: null when allowed, else why not.</summary>
    private string? Filter(Guid aaguid, bool backupEligible, string format)
    {
        var filtering = options.Filtering;
        if (filtering.ProhibitBackupEligibility && backupEligible)
        {
            return "backup-eligible credentials are prohibited";
        }
        if (filtering.PermittedAaguids.Count == 0 && filtering.ProhibitedAaguids.Count == 0)
        {
            return null;
        }
        // The AAGUID is self-reported: no attestation statement is verified, so an allow-list is a policy hint,
        // not a guarantee (peers-and-security §4b.10). Say so in the log each time it decides something.
        LogUnattestedAaguid(logger, aaguid, format);
        if (filtering.PermittedAaguids.Count > 0 && !filtering.PermittedAaguids.Any(a => Guid.TryParse(a, out var g) && g == aaguid))
        {
            return $"AAGUID {aaguid} is not permitted";
        }
        return filtering.ProhibitedAaguids.Any(a => Guid.TryParse(a, out var g) && g == aaguid) ? $"AAGUID {aaguid} is prohibited" : null;
    }

    private UserManager<WebAuthnUser> NewUserManager(RelyingParty rp) =>
        new(new WebAuthnIdentityStore(rp.Id, credentials, users), Options.Create(new IdentityOptions()), new PasswordHasher<WebAuthnUser>(),
            [], [], new UpperInvariantLookupNormalizer(), new IdentityErrorDescriber(), NoServices, NullLogger<UserManager<WebAuthnUser>>.Instance);

    /// <summary>
    /// A handler for one relying party. The RP ID and origin come from the request to the portal, so they are set
    /// per ceremony rather than once in DI.
    /// </summary>
    private PasskeyHandler<WebAuthnUser> NewHandler(RelyingParty rp, UserManager<WebAuthnUser> userManager)
    {
        var criteria = options.SelectionCriteria;
        var passkeyOptions = new IdentityPasskeyOptions
        {
            ServerDomain = rp.Id,
            AuthenticatorTimeout = options.Timeout,
            UserVerificationRequirement = criteria.UserVerification,
            ResidentKeyRequirement = criteria.Discoverability,
            AuthenticatorAttachment = criteria.Attachment.Length > 0 ? criteria.Attachment : null,
            AttestationConveyancePreference = options.AttestationConveyancePreference,
            // Exactly the portal's own origin, never a cross-origin iframe.
            ValidateOrigin = ctx => ValueTask.FromResult(!ctx.CrossOrigin && string.Equals(ctx.Origin, rp.Origin, StringComparison.Ordinal)),
        };
        return new PasskeyHandler<WebAuthnUser>(userManager, Options.Create(passkeyOptions));
    }

    /// <summary>
    /// The handler's API wants an HttpContext, but with ServerDomain and ValidateOrigin set it reads nothing from it;
    /// an empty one keeps this service independent of the request.
    /// </summary>
    private static DefaultHttpContext Placeholder() => new() { RequestServices = NoServices };

    private static bool TryParse(string json, out JsonElement element)
    {
        element = default;
        if (string.IsNullOrEmpty(json))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            element = document.RootElement.Clone();
            return element.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "WebAuthn credential {Id} of {Username}: counter went from {Stored} to {Presented}; clone warning set, login refused")]
    private static partial void LogCloneWarning(ILogger logger, long id, string username, uint stored, uint presented);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "WebAuthn credential {Id} of {Username} worked in a passkey login; marked discoverable")]
    private static partial void LogUpgraded(ILogger logger, long id, string username);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Debug, Message = "AAGUID filtering on {Aaguid} (format {Format}): unattested, the authenticator reported it itself")]
    private static partial void LogUnattestedAaguid(ILogger logger, Guid aaguid, string format);
}
