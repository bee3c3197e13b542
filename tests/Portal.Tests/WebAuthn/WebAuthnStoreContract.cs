using Portal.Tests.Storage;
using Portal.WebAuthn;

namespace Portal.Tests.WebAuthn;

/// <summary>
/// <see cref="IWebAuthnCredentialStore"/>, <see cref="IUsedCeremonyStore"/> and <see cref="IPasskeyOfferStore"/>, the same
/// on every engine (<see cref="SqliteWebAuthnCredentialStoreTests"/>, <see cref="PostgresWebAuthnCredentialStoreTests"/>
/// on a real PostgreSQL), including the single-use rules when two nodes share the database.
/// </summary>
public abstract class WebAuthnStoreContract : IDisposable
{
    private readonly IWebAuthnCredentialStore _store;

    private protected WebAuthnStoreContract(StoreEngine engine)
    {
        Engine = engine;
        _store = engine.Credentials();
    }

    private protected StoreEngine Engine { get; }

    public void Dispose()
    {
        Engine.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Public_keys_and_attestations_are_encrypted_at_rest_and_read_back_in_clear()
    {
        var key = "COSE-KEY-BYTES-1234567890"u8.ToArray();
        var attestation = "ATTESTATION-OBJECT"u8.ToArray();
        var (result, id) = await _store.AddAsync(Credential("john", "Key", [1, 2, 3]) with { PublicKey = key, Attestation = attestation });
        Assert.Equal(CredentialWriteResult.Done, result);

        var storedKey = (byte[])Engine.RawValue("webauthn_credentials", "public_key")!;
        var storedAttestation = (byte[])Engine.RawValue("webauthn_credentials", "attestation")!;
        Assert.Equal(key, Engine.Encryption.Decrypt(storedKey));
        Assert.Equal(-1, storedKey.AsSpan().IndexOf(key.AsSpan(0, 8)));
        Assert.Equal(-1, storedAttestation.AsSpan().IndexOf(attestation.AsSpan(0, 8)));

        var read = await _store.FindAsync("auth.example.com", "john", id);
        Assert.Equal(key, read!.PublicKey);
        Assert.Equal(attestation, read.Attestation);
    }

    [Fact]
    public async Task Descriptions_are_unique_per_user_and_rp_id_with_unicode_case_folding()
    {
        Assert.Equal(CredentialWriteResult.Done, (await _store.AddAsync(Credential("john", "Clé", [1]))).Result);
        Assert.Equal(CredentialWriteResult.DuplicateDescription, (await _store.AddAsync(Credential("john", "CLÉ", [2]))).Result);
        Assert.Equal(CredentialWriteResult.DuplicateDescription, (await _store.AddAsync(Credential("JOHN ", "clé", [3]))).Result);
        Assert.Equal(CredentialWriteResult.Done, (await _store.AddAsync(Credential("harry", "Clé", [4]))).Result);
        Assert.Equal(CredentialWriteResult.Done, (await _store.AddAsync(Credential("john", "Clé", [5]) with { RpId = "auth.example.net" })).Result);
        Assert.Equal(CredentialWriteResult.DuplicateCredentialId, (await _store.AddAsync(Credential("bob", "Other", [1]))).Result);
    }

    [Fact]
    public async Task An_imported_user_handle_is_kept_for_a_user_without_one_and_never_replaces_or_takes_anothers()
    {
        var johns = await _store.GetOrCreateUserHandleAsync("auth.example.com", "john");

        var harrys = await _store.ImportUserHandleAsync("auth.example.com", "Harry", "imported-handle-of-harry");
        var johnsAgain = await _store.ImportUserHandleAsync("auth.example.com", "john", "another-handle-for-john");
        var bobs = await _store.ImportUserHandleAsync("auth.example.com", "bob", johns);

        Assert.Equal("imported-handle-of-harry", harrys);
        Assert.Equal("harry", await _store.FindUsernameByHandleAsync("auth.example.com", harrys));
        Assert.Equal(johns, johnsAgain);
        Assert.NotEqual(johns, bobs);
        Assert.Equal("john", await _store.FindUsernameByHandleAsync("auth.example.com", johns));
        Assert.Equal("bob", await _store.FindUsernameByHandleAsync("auth.example.com", bobs));
    }

    [Fact]
    public async Task User_handles_are_created_once_per_rp_id_and_user_and_resolve_back()
    {
        var first = await _store.GetOrCreateUserHandleAsync("auth.example.com", "john");
        var again = await _store.GetOrCreateUserHandleAsync("auth.example.com", " John ");
        var otherRp = await _store.GetOrCreateUserHandleAsync("auth.example.net", "john");

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherRp);
        Assert.Equal(64, first.Length); // Authelia's user handle length
        Assert.All(first, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
        Assert.Equal("john", await _store.FindUsernameByHandleAsync("auth.example.com", first));
        Assert.Null(await _store.FindUsernameByHandleAsync("auth.example.net", first));
    }

    [Fact]
    public async Task Rename_and_delete_only_touch_the_owners_credential()
    {
        var (_, id) = await _store.AddAsync(Credential("john", "Key", [9]));

        Assert.Equal(CredentialWriteResult.NotFound, await _store.RenameAsync("auth.example.com", "harry", id, "Mine"));
        Assert.Equal(CredentialWriteResult.NotFound, await _store.DeleteAsync("auth.example.com", "harry", id));
        Assert.Equal(CredentialWriteResult.NotFound, await _store.DeleteAsync("auth.example.net", "john", id));
        Assert.Equal(CredentialWriteResult.Done, await _store.RenameAsync("auth.example.com", "john", id, "KEY"));
        Assert.Equal("KEY", (await _store.FindAsync("auth.example.com", "john", id))!.Description);
        Assert.Equal(CredentialWriteResult.Done, await _store.DeleteAsync("auth.example.com", "john", id));
        Assert.False(await _store.HasAnyAsync("auth.example.com", "john"));
    }

    private static WebAuthnCredential Credential(string username, string description, byte[] kid) => new()
    {
        CreatedAt = DateTimeOffset.UnixEpoch,
        RpId = "auth.example.com",
        Username = username,
        Description = description,
        Kid = kid,
        PublicKey = [0xA5],
    };

    [Fact]
    public async Task Of_racing_sign_ins_with_one_counter_value_through_two_nodes_exactly_one_is_stored()
    {
        using var second = Engine.SecondNode();
        var nodes = new[] { _store, second.Credentials() };
        var (_, id) = await _store.AddAsync(Credential("john", "Key", [7]) with { SignCount = 4 });

        for (uint counter = 5; counter < 10; counter++)
        {
            var stored = await AllAtOnce(16, i => nodes[i % 2].UpdateSignInAsync(id, counter, backupState: false, DateTimeOffset.UnixEpoch.AddDays(counter)));

            Assert.Single(stored, s => s);
        }
        Assert.Equal(9u, (await _store.FindAsync("auth.example.com", "john", id))!.SignCount);
        Assert.False(await _store.UpdateSignInAsync(id, 9, false, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public async Task Of_racing_registrations_of_one_name_through_two_nodes_exactly_one_is_stored()
    {
        using var second = Engine.SecondNode();
        var nodes = new[] { _store, second.Credentials() };

        // Case variants of one name, each on its own credential: only one may be stored.
        var results = await AllAtOnce(16, i => nodes[i % 2].AddAsync(Credential("john", i % 2 == 0 ? "Clé" : "CLÉ", [0x40, (byte)i])));

        Assert.Single(results, r => r.Result == CredentialWriteResult.Done);
        Assert.All(results.Where(r => r.Result != CredentialWriteResult.Done), r => Assert.Equal(CredentialWriteResult.DuplicateDescription, r.Result));
        Assert.Single(await _store.ListAsync("auth.example.com", "john"));
    }

    [Fact]
    public async Task First_registrations_racing_through_two_nodes_all_get_the_one_user_handle()
    {
        using var second = Engine.SecondNode();
        var nodes = new[] { _store, second.Credentials() };

        var handles = await AllAtOnce(16, i => nodes[i % 2].GetOrCreateUserHandleAsync("auth.example.com", "john"));

        Assert.Single(handles.Distinct());
    }

    [Fact]
    public async Task A_credential_marked_as_cloned_is_never_updated_again()
    {
        var (_, id) = await _store.AddAsync(Credential("john", "Key", [8]) with { SignCount = 1 });
        await _store.SetCloneWarningAsync(id);
        await _store.SetDiscoverableAsync(id);

        Assert.False(await _store.UpdateSignInAsync(id, 2, false, DateTimeOffset.UnixEpoch));
        var read = (await _store.FindByKidAsync([8]))!;
        Assert.True(read.CloneWarning);
        Assert.True(read.Discoverable);
        Assert.Equal(1u, read.SignCount);
    }

    [Fact]
    public async Task Every_field_of_a_credential_reads_back_as_stored()
    {
        var credential = Credential("john", "Key", [1, 2]) with
        {
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123),
            Aaguid = Guid.Parse("2fc0579f-8113-47ea-b116-bb5a8db9202a"),
            AttestationType = "basic", AttestationFormat = "packed", Attachment = "cross-platform",
            Transports = ["usb", "nfc"], SignCount = uint.MaxValue, Discoverable = true, Present = true, Verified = true,
            BackupEligible = true, BackupState = true, PublicKey = [1, 2, 3], Attestation = [4, 5],
            AttestationChain = [[9, 9], [8]], Authenticator = "YubiKey 5 Series", AttestationTrusted = true,
        };
        var (_, id) = await _store.AddAsync(credential);

        var read = Assert.Single(await _store.ListAsync("auth.example.com", " JOHN"));

        // Arrays compare by reference in a record; they are compared by content below.
        Assert.Equal(credential with
        {
            Id = id, Kid = read.Kid, Transports = read.Transports, PublicKey = read.PublicKey, Attestation = read.Attestation,
            AttestationChain = read.AttestationChain,
        }, read);
        Assert.Equal([[9, 9], [8]], read.AttestationChain);
        Assert.Equal(credential.Kid, read.Kid);
        Assert.Equal(["usb", "nfc"], read.Transports);
        Assert.Equal(credential.PublicKey, read.PublicKey);
        Assert.Equal(credential.Attestation, read.Attestation);
        Assert.True(await _store.HasAnyForUserAsync("john"));
        Assert.False(await _store.HasAnyForUserAsync("harry"));
    }

    [Fact]
    public async Task A_ceremony_completed_through_two_nodes_at_once_is_accepted_exactly_once()
    {
        using var second = Engine.SecondNode();
        var nodes = new[] { Engine.UsedCeremonies(), second.UsedCeremonies() };
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        for (var round = 0; round < 10; round++)
        {
            var state = $"ceremony-{round}-{Guid.NewGuid()}";

            var accepted = await AllAtOnce(32, i => nodes[i % 2].TryConsumeAsync(state, now, TimeSpan.FromMinutes(10)));

            Assert.Single(accepted, a => a);
        }
    }

    [Fact]
    public async Task A_used_ceremony_is_remembered_for_its_keep_time_and_then_pruned()
    {
        var ceremonies = Engine.UsedCeremonies();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        Assert.True(await ceremonies.TryConsumeAsync("state", now, TimeSpan.FromMinutes(10)));
        Assert.False(await ceremonies.TryConsumeAsync("state", now.AddMinutes(9), TimeSpan.FromMinutes(10)));
        Assert.True(await ceremonies.TryConsumeAsync("state", now.AddMinutes(11), TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public async Task A_passkey_offer_snooze_is_kept_per_user_and_replaced_by_the_next()
    {
        var offers = Engine.PasskeyOffers();
        var until = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        Assert.Null(await offers.SnoozedUntilAsync("john"));
        await offers.SnoozeAsync("John", until);
        await offers.SnoozeAsync("john", until.AddDays(1));

        Assert.Equal(until.AddDays(1), await offers.SnoozedUntilAsync(" JOHN "));
        Assert.Null(await offers.SnoozedUntilAsync("harry"));
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="count"/> threads of their own, released together.</summary>
    private static async Task<T[]> AllAtOnce<T>(int count, Func<int, Task<T>> work)
    {
        using var start = new Barrier(count);
        var threads = Enumerable.Range(0, count).Select(i => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return work(i);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToList();
        return await Task.WhenAll(threads);
    }
}
