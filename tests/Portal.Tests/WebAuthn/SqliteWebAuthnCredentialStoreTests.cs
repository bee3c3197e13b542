using Microsoft.Data.Sqlite;
using Portal.Storage;
using Portal.Storage.Sqlite;
using Portal.Tests.Storage;
using Portal.WebAuthn;
using Portal.Tests.Support;

namespace Portal.Tests.WebAuthn;

/// <summary>The SQLite credential store on a real database file.</summary>
public sealed class SqliteWebAuthnCredentialStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly SqliteDatabase _database;
    private readonly SqliteWebAuthnCredentialStore _store;

    public SqliteWebAuthnCredentialStoreTests()
    {
        _database = SqliteDatabase.Open(_dir.File("db.sqlite3"), TestKeys.Key);
        _store = new SqliteWebAuthnCredentialStore(_database);
    }

    public void Dispose()
    {
        _database.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Public_keys_and_attestations_are_encrypted_at_rest_and_read_back_in_clear()
    {
        var key = "COSE-KEY-BYTES-1234567890"u8.ToArray();
        var attestation = "ATTESTATION-OBJECT"u8.ToArray();
        var (result, id) = await _store.AddAsync(Credential("john", "Key", [1, 2, 3]) with { PublicKey = key, Attestation = attestation });
        Assert.Equal(CredentialWriteResult.Done, result);

        using var connection = new SqliteConnection($"Data Source={_dir.File("db.sqlite3")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT public_key, attestation FROM webauthn_credentials";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        var storedKey = (byte[])reader.GetValue(0);
        var storedAttestation = (byte[])reader.GetValue(1);
        Assert.Equal(key, _database.Encryption.Decrypt(storedKey));
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
    public async Task User_handles_are_created_once_per_rp_id_and_user_and_resolve_back()
    {
        var first = await _store.GetOrCreateUserHandleAsync("auth.example.com", "john");
        var again = await _store.GetOrCreateUserHandleAsync("auth.example.com", " John ");
        var otherRp = await _store.GetOrCreateUserHandleAsync("auth.example.net", "john");

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherRp);
        Assert.Equal(SqliteWebAuthnCredentialStore.UserHandleLength, first.Length);
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
}
