using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using Portal.Users;
using Portal.Configuration;
using Portal.Session;

namespace Portal.WebAuthn;

/// <summary>
/// <see cref="IWebAuthnCeremonies"/> over fido2-net-lib. The library does the cryptographic verification (client data
/// type, challenge and origin, RP ID hash, UP/UV flags, the attestation statement of every format, the assertion
/// signature); this class adds what the portal's policy needs: a relying party per request, ceremony binding and
/// expiry, credential ownership through the user handle, exact origin and no cross-origin, backup-flag consistency,
/// Authelia's counter rule with a stored clone warning, <see cref="AuthenticatorPolicy"/> (FIDO metadata and
/// <c>webauthn.filtering</c>), and the stored credential record.
/// </summary>
internal sealed partial class Fido2Ceremonies(
    WebAuthnOptions options,
    IWebAuthnCredentialStore credentials,
    IUserProvider users,
    AuthenticatorPolicy policy,
    TimeProvider time,
    ILogger<Fido2Ceremonies> logger) : IWebAuthnCeremonies
{
    /// <summary>
    /// ES256 first, RSA and the larger curves after, no EdDSA: the list (and order) Identity's handler sent before the
    /// switch, so authenticators keep creating the same kind of keys (a browser picks the first it supports).
    /// </summary>
    private static readonly PubKeyCredParam[] Algorithms =
    [
        PubKeyCredParam.ES256, PubKeyCredParam.PS256, PubKeyCredParam.ES384, PubKeyCredParam.PS384, PubKeyCredParam.PS512,
        PubKeyCredParam.RS256, PubKeyCredParam.ES512, PubKeyCredParam.RS384, PubKeyCredParam.RS512,
    ];

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
        var criteria = options.SelectionCriteria;
        var created = NewFido2(rp).RequestNewCredential(new RequestNewCredentialParams
        {
            // The handle's UTF-8 bytes, as Identity sent them: credentials registered before the switch return the same.
            User = new Fido2User { Id = Encoding.UTF8.GetBytes(handle), Name = user.Username, DisplayName = user.DisplayName.Length > 0 ? user.DisplayName : user.Username },
            ExcludeCredentials = [.. existing.Select(Descriptor)],
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = requireDiscoverable ? ResidentKeyRequirement.Required : ResidentKey(criteria.Discoverability),
                UserVerification = UserVerification(criteria.UserVerification),
                AuthenticatorAttachment = criteria.Attachment switch
                {
                    "platform" => AuthenticatorAttachment.Platform,
                    "cross-platform" => AuthenticatorAttachment.CrossPlatform,
                    _ => null,
                },
            },
            AttestationPreference = Conveyance(options.AttestationConveyancePreference),
            Extensions = new AuthenticationExtensionsClientInputs { CredProps = true },
            PubKeyCredParams = Algorithms,
        });
        var state = created.ToJson();
        var ceremony = new WebAuthnCeremony
        {
            Kind = WebAuthnCeremonyKind.Attestation,
            State = state,
            Description = name,
            CreatedAt = time.GetUtcNow(),
            RpId = rp.Id,
            Username = Usernames.Key(user.Username),
        };
        return new RegistrationStart(RegistrationStartStatus.Started, new CeremonyStart(BrowserJson(state), ceremony));
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
        if (!TryParse(credentialJson, out var credential) || !TryDeserialize<AuthenticatorAttestationRawResponse>(credentialJson, out var raw))
        {
            return new RegistrationOutcome(CeremonyFailure.Rejected, "the response is not a WebAuthn registration response", null);
        }
        if (CheckClientData(rp, credential) is { } badClient)
        {
            return new RegistrationOutcome(CeremonyFailure.Rejected, badClient, null);
        }
        var original = CredentialCreateOptions.FromJson(ceremony!.State);
        var handle = await credentials.FindUserHandleAsync(rp.Id, canonical, cancellationToken);
        if (handle is null || !original.User.Id.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(handle)))
        {
            return new RegistrationOutcome(CeremonyFailure.NoCeremony, "the ceremony was started for another user handle", null);
        }

        RegisteredPublicKeyCredential result;
        try
        {
            result = await NewFido2(rp).MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = raw,
                OriginalOptions = original,
                // Any owner, any RP ID: a credential ID is never registered twice (§4b.10).
                IsCredentialIdUniqueToUserCallback = async (p, ct) => await credentials.FindByKidAsync(p.CredentialId, ct) is null,
            }, cancellationToken);
        }
        catch (Exception e) when (IsVerificationFailure(e))
        {
            return new RegistrationOutcome(
                e is Fido2VerificationException { Code: Fido2ErrorCode.NonUniqueCredentialId } ? CeremonyFailure.DuplicateCredential : CeremonyFailure.Rejected,
                e.Message, null);
        }

        var attestation = AuthenticatorDataReader.ReadAttestationObject(result.AttestationObject);
        if (attestation is null)
        {
            return new RegistrationOutcome(CeremonyFailure.Rejected, "the attestation object could not be read", null);
        }
        var facts = attestation.Authenticator;
        if (facts.BackedUp && !facts.BackupEligible)
        {
            return new RegistrationOutcome(CeremonyFailure.Rejected, "the credential is backed up but not backup eligible", null);
        }
        var decision = await policy.CheckRegistrationAsync(facts.Aaguid, facts.BackupEligible, attestation, result.AttestationType ?? "", cancellationToken);
        if (decision.Refusal is { } notPermitted)
        {
            return new RegistrationOutcome(CeremonyFailure.NotPermitted, notPermitted, null);
        }

        var record = new WebAuthnCredential
        {
            CreatedAt = time.GetUtcNow(),
            RpId = rp.Id,
            Username = canonical,
            Description = ceremony.Description,
            Kid = result.Id,
            Aaguid = facts.Aaguid,
            AttestationType = result.AttestationType ?? "",
            AttestationFormat = attestation.Format,
            AttestationChain = attestation.Certificates,
            Authenticator = decision.Authenticator,
            AttestationTrusted = decision.Trusted,
            Attachment = AuthenticatorDataReader.Attachment(credential),
            Transports = AuthenticatorDataReader.Transports(credential),
            SignCount = facts.SignCount,
            Discoverable = AuthenticatorDataReader.ResidentKey(credential),
            Present = facts.UserPresent,
            Verified = facts.UserVerified,
            BackupEligible = facts.BackupEligible,
            BackupState = facts.BackedUp,
            PublicKey = result.PublicKey,
            Attestation = result.AttestationObject,
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
        IReadOnlyList<PublicKeyCredentialDescriptor> allowed = [];
        var canonical = "";
        if (username is not null)
        {
            canonical = Usernames.Key(username);
            var handle = await credentials.FindUserHandleAsync(rp.Id, canonical, cancellationToken);
            var list = handle is null ? [] : await credentials.ListAsync(rp.Id, canonical, cancellationToken);
            if (list.Count == 0)
            {
                return null;
            }
            allowed = [.. list.Select(Descriptor)];
        }
        var request = NewFido2(rp).GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = allowed,
            UserVerification = UserVerification(options.SelectionCriteria.UserVerification),
        });
        var state = request.ToJson();
        var ceremony = new WebAuthnCeremony
        {
            Kind = WebAuthnCeremonyKind.Assertion,
            State = state,
            CreatedAt = time.GetUtcNow(),
            RpId = rp.Id,
            Username = canonical,
        };
        return new CeremonyStart(BrowserJson(state), ceremony);
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
        if (!TryParse(credentialJson, out var credential) || !TryDeserialize<AuthenticatorAssertionRawResponse>(credentialJson, out var raw)
            || raw.RawId is not { Length: > 0 } kid)
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, "the response is not a WebAuthn assertion response");
        }
        if (CheckClientData(rp, credential) is { } badClient)
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, badClient);
        }
        var passkeyLogin = username is null;
        if (passkeyLogin && raw.Response.UserHandle is not { Length: > 0 })
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, "the authenticator response was missing a user handle");
        }

        // The credential decides the owner; a user handle, when sent, must be the owner's (WebAuthn §7.2 step 6).
        var stored = await credentials.FindByKidAsync(kid, cancellationToken);
        if (stored is null || !string.Equals(stored.RpId, rp.Id, StringComparison.Ordinal))
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, "the credential is not registered for this RP ID");
        }
        var owner = stored.Username;
        if (!passkeyLogin && !string.Equals(owner, canonical, StringComparison.Ordinal))
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, "the credential belongs to another user");
        }
        // A removed or disabled user's credentials stop working.
        if (users.GetDetails(owner) is null)
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, "the credential's owner is not a known, enabled user");
        }
        var ownerHandle = await credentials.FindUserHandleAsync(rp.Id, owner, cancellationToken);

        VerifyAssertionResult result;
        try
        {
            result = await NewFido2(rp).MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = raw,
                OriginalOptions = AssertionOptions.FromJson(ceremony!.State),
                StoredPublicKey = stored.PublicKey,
                // 0: the library would refuse a regressed counter without saying so; the rule is applied below, after
                // the signature, so that a regression can set the clone warning (Authelia's behaviour).
                StoredSignatureCounter = 0,
                IsUserHandleOwnerOfCredentialIdCallback = (p, _) => Task.FromResult(
                    ownerHandle is not null && p.CredentialId.AsSpan().SequenceEqual(kid) && p.UserHandle.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(ownerHandle))),
            }, cancellationToken);
        }
        catch (Exception e) when (IsVerificationFailure(e))
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, e.Message);
        }
        if (!result.CredentialId.AsSpan().SequenceEqual(kid) || AuthenticatorDataReader.ReadAssertion(credential) is not { } f)
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, "the verified response could not be read");
        }
        // Backup eligibility is fixed when a credential is created (WebAuthn §6.1.3): a change means another credential
        // source, or a forged response.
        if (f.BackupEligible != stored.BackupEligible)
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, f.BackupEligible
                ? "the stored credential is not backup eligible, but the response says it is"
                : "the stored credential is backup eligible, but the response says it is not");
        }
        if (f.BackedUp && !f.BackupEligible)
        {
            return AssertionOutcome.Fail(CeremonyFailure.Rejected, "the credential is backed up but not backup eligible");
        }

        // A passkey login (no username: the user came from the handle) may only use credentials known to be
        // discoverable, unless the upgrade switch lets one prove it is by working here (then it is marked below).
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
        if (await policy.CheckAssertionAsync(stored, f.BackupEligible, cancellationToken) is { } notPermitted)
        {
            return AssertionOutcome.Fail(CeremonyFailure.NotPermitted, notPermitted, owner, stored);
        }
        var now = time.GetUtcNow();
        if (!await credentials.UpdateSignInAsync(stored.Id, f.SignCount, f.BackedUp, now, cancellationToken))
        {
            // Another assertion of this credential stored its counter after we read ours (or set the warning): with
            // the same or a higher counter, so the rule above now fails for this one. Concurrent clones land here.
            var current = await credentials.FindByKidAsync(kid, cancellationToken);
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
        if (time.GetUtcNow() > ceremony.CreatedAt + options.Timeout)
        {
            return (CeremonyFailure.Expired, "the ceremony timed out");
        }
        // A state from before the switch to fido2-net-lib (a session that was mid-ceremony during the upgrade).
        return ceremony.State.TrimStart().StartsWith('{') && HasChallenge(ceremony.State) ? null : (CeremonyFailure.NoCeremony, "the ceremony state is not readable");
    }

    /// <summary>
    /// Exactly the portal's own origin, never a cross-origin iframe. The library compares normalised origins and has
    /// its own cross-origin switch; the portal keeps its stricter, exact rule on top.
    /// </summary>
    private static string? CheckClientData(RelyingParty rp, JsonElement credential)
    {
        var client = AuthenticatorDataReader.ReadClientData(credential);
        if (client is null)
        {
            return "clientDataJSON could not be read";
        }
        if (!string.Equals(client.Value.Origin, rp.Origin, StringComparison.Ordinal))
        {
            return $"the authenticator response had an invalid origin '{client.Value.Origin}'";
        }
        return client.Value.CrossOrigin ? "the response came from a cross-origin frame" : null;
    }

    private Fido2 NewFido2(RelyingParty rp) => new(new Fido2Configuration
    {
        RPID = rp.Id,
        RPName = options.DisplayName,
        Origins = new HashSet<string>(StringComparer.Ordinal) { rp.Origin },
        Timeout = (uint)Math.Min(options.Timeout.TotalMilliseconds, uint.MaxValue),
        ChallengeSize = 32,
    });

    /// <summary>The options as the browser gets them: the library's JSON without members it writes as null.</summary>
    private static string BrowserJson(string optionsJson)
    {
        var json = JsonNode.Parse(optionsJson)!.AsObject();
        foreach (var key in json.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            json.Remove(key);
        }
        return json.ToJsonString();
    }

    private static PublicKeyCredentialDescriptor Descriptor(WebAuthnCredential c) =>
        new(PublicKeyCredentialType.PublicKey, c.Kid, [.. c.Transports.Select(AuthenticatorDataReader.Transport).OfType<AuthenticatorTransport>()]);

    private static ResidentKeyRequirement ResidentKey(string value) => value switch
    {
        "required" => ResidentKeyRequirement.Required,
        "discouraged" => ResidentKeyRequirement.Discouraged,
        _ => ResidentKeyRequirement.Preferred,
    };

    private static UserVerificationRequirement UserVerification(string value) => value switch
    {
        "required" => UserVerificationRequirement.Required,
        "discouraged" => UserVerificationRequirement.Discouraged,
        _ => UserVerificationRequirement.Preferred,
    };

    private static AttestationConveyancePreference Conveyance(string value) => value switch
    {
        "none" => AttestationConveyancePreference.None,
        "direct" => AttestationConveyancePreference.Direct,
        "enterprise" => AttestationConveyancePreference.Enterprise,
        _ => AttestationConveyancePreference.Indirect,
    };

    /// <summary>What malformed or forged input makes the library (or its CBOR, ASN.1 and key parsing) throw.</summary>
    private static bool IsVerificationFailure(Exception e) => e is Fido2VerificationException or JsonException or FormatException or ArgumentException
        or System.Security.Cryptography.CryptographicException or System.Formats.Cbor.CborContentException or System.Formats.Asn1.AsnContentException
        or InvalidOperationException or OverflowException or NotSupportedException or IndexOutOfRangeException or InvalidCastException or KeyNotFoundException
        or NullReferenceException;

    private static bool HasChallenge(string state)
    {
        try
        {
            using var document = JsonDocument.Parse(state);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("challenge", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The library's model of a response; reflection-based, as its own serializer context does not list them all.</summary>
    private static bool TryDeserialize<T>(string json, out T value) where T : class
    {
        value = null!;
        try
        {
            value = JsonSerializer.Deserialize<T>(json)!;
            return value is not null;
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return false;
        }
    }

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
}
