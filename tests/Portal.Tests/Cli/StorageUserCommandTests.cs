using Portal.Storage.Sqlite;
using Portal.Storage.Stores;
using Portal.Tests.Storage;
using Portal.Tests.Support;
using Portal.WebAuthn;
using static Portal.Tests.Cli.StorageCommandRun;

namespace Portal.Tests.Cli;

/// <summary><c>portal storage user webauthn list|delete|export|import</c> on SQLite.</summary>
public sealed class StorageUserCommandTests : IDisposable
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    private readonly TempDirectory _dir = new();
    private readonly List<IDisposable> _open = [];

    public void Dispose()
    {
        _open.ForEach(d => d.Dispose());
        _dir.Dispose();
    }

    private string Config(string database, string key = TestKeys.Key) => WriteSqliteConfig(_dir, key, database, database + ".yml");

    private static WebAuthnCredential Key(string user, string description, byte kid) => new()
    {
        CreatedAt = Created, RpId = "auth.example.com", Username = user, Description = description,
        Kid = [kid, 1], PublicKey = [kid, 2, 3], Attestation = [kid, 4], SignCount = 7, Transports = ["usb", "nfc"],
        Aaguid = Guid.Parse("cb69481e-8ff7-4039-93ec-0a2729a154a8"), AttestationType = "basic", AttestationFormat = "packed",
        AttestationChain = [[kid, 9]], Authenticator = "YubiKey 5", AttestationTrusted = true, Present = true, Verified = true,
    };

    private async Task<WebAuthnCredentialStore> SeedAsync(string database, params WebAuthnCredential[] credentials)
    {
        var db = SqliteDatabase.Open(_dir.File(database), TestKeys.Key);
        _open.Add(db);
        var store = new WebAuthnCredentialStore(db);
        foreach (var credential in credentials)
        {
            await store.GetOrCreateUserHandleAsync(credential.RpId, credential.Username);
            Assert.Equal(CredentialWriteResult.Done, (await store.AddAsync(credential)).Result);
        }
        return store;
    }

    [Fact]
    public async Task List_shows_every_users_keys_or_only_the_named_users()
    {
        await SeedAsync("db.sqlite3", Key("john", "YubiKey", 1), Key("harry", "Phone", 2));

        var all = await RunAsync("user", "webauthn", "list", "--config", Config("db.sqlite3"));
        var john = await RunAsync("user", "webauthn", "list", "--user", "John", "--config", Config("db.sqlite3"));

        Assert.True(all.Code == 0, all.Err);
        Assert.Contains("john  auth.example.com  'YubiKey'", all.Out, StringComparison.Ordinal);
        Assert.Contains("harry  auth.example.com  'Phone'", all.Out, StringComparison.Ordinal);
        Assert.Contains("2 WebAuthn credentials.", all.Out, StringComparison.Ordinal);
        Assert.Contains("'YubiKey'", john.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Phone", john.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_by_name_removes_only_the_lost_key_of_that_user()
    {
        var store = await SeedAsync("db.sqlite3", Key("john", "YubiKey", 1), Key("john", "Spare", 2), Key("harry", "YubiKey", 3));

        var delete = await RunAsync("user", "webauthn", "delete", "--user", "john", "--description", "yubikey", "--config", Config("db.sqlite3"));

        Assert.True(delete.Code == 0, delete.Err);
        Assert.Contains("Deleted credential 1 'YubiKey' of john", delete.Out, StringComparison.Ordinal);
        Assert.Equal(["Spare"], (await store.ListAllAsync("john")).Select(c => c.Description));
        Assert.Single(await store.ListAllAsync("harry"));
    }

    [Fact]
    public async Task Delete_by_credential_id_or_all_and_nothing_matching_exits_1()
    {
        var store = await SeedAsync("db.sqlite3", Key("john", "YubiKey", 1), Key("john", "Spare", 2), Key("john", "Third", 3));
        var kid = Convert.ToBase64String(new byte[] { 2, 1 });

        var byKid = await RunAsync("user", "webauthn", "delete", "--user", "john", "--kid", kid, "--config", Config("db.sqlite3"));
        var none = await RunAsync("user", "webauthn", "delete", "--user", "john", "--description", "Lost", "--config", Config("db.sqlite3"));
        var all = await RunAsync("user", "webauthn", "delete", "--user", "john", "--all", "--config", Config("db.sqlite3"));
        var twoWays = await RunAsync("user", "webauthn", "delete", "--user", "john", "--all", "--kid", kid, "--config", Config("db.sqlite3"));

        Assert.True(byKid.Code == 0, byKid.Err);
        Assert.Contains("'Spare'", byKid.Out, StringComparison.Ordinal);
        Assert.Equal(1, none.Code);
        Assert.Contains("no WebAuthn credential of 'john' matches", none.Err, StringComparison.Ordinal);
        Assert.True(all.Code == 0, all.Err);
        Assert.Empty(await store.ListAllAsync("john"));
        Assert.Equal(1, twoWays.Code);
        Assert.Contains("needs one of --description NAME, --kid KID", twoWays.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_imported_into_another_install_under_another_key_gives_back_every_credential_field()
    {
        var original = Key("john", "YubiKey", 1) with { CloneWarning = false, Discoverable = true, BackupEligible = true, BackupState = true };
        var source = await SeedAsync("source.sqlite3", original, Key("harry", "Phone", 2) with { Attestation = null, AttestationChain = [], Aaguid = Guid.Empty });
        await source.UpdateSignInAsync((await source.ListAllAsync("john"))[0].Id, 12, backupState: true, Created.AddDays(1));
        var file = _dir.File("export.yml");
        var otherKey = Config("target.sqlite3", TestKeys.OtherKey);

        var export = await RunAsync("user", "webauthn", "export", "--file", file, "--config", Config("source.sqlite3"));
        var import = await RunAsync("user", "webauthn", "import", "--file", file, "--config", otherKey);

        Assert.True(export.Code == 0, export.Err);
        Assert.Contains($"Exported 2 WebAuthn credentials to {file}.", export.Out, StringComparison.Ordinal);
        var yaml = await File.ReadAllTextAsync(file);
        Assert.StartsWith("webauthn_credentials:", yaml, StringComparison.Ordinal);
        Assert.Contains("public_key: AQID", yaml, StringComparison.Ordinal); // decrypted: bytes 1, 2, 3
        Assert.True(import.Code == 0, import.Err);
        Assert.Contains("Imported 2 of 2 WebAuthn credentials.", import.Out, StringComparison.Ordinal);
        using var target = SqliteDatabase.Open(_dir.File("target.sqlite3"), TestKeys.OtherKey);
        var store = new WebAuthnCredentialStore(target);
        var before = (await source.ListAllAsync("john"))[0];
        var after = (await store.ListAllAsync("john"))[0];
        Assert.Equal(before with { Id = after.Id }, after, CredentialComparer.Instance);
        var phone = (await store.ListAllAsync("harry"))[0];
        Assert.Null(phone.Attestation);
        Assert.Equal(Guid.Empty, phone.Aaguid);
        // The passkey's user handle came along: at sign-in it finds john on the new install too.
        var handle = await source.FindUserHandleAsync("auth.example.com", "john");
        Assert.NotNull(handle);
        Assert.Equal("john", await store.FindUsernameByHandleAsync("auth.example.com", handle));
    }

    [Fact]
    public async Task Export_refuses_to_overwrite_a_file_and_import_of_a_bad_file_imports_nothing()
    {
        await SeedAsync("db.sqlite3", Key("john", "YubiKey", 1));
        var existing = _dir.Write("existing.yml", "keep me");
        var bad = _dir.Write("bad.yml", """
            webauthn_credentials:
              - created_at: 2024-01-01T00:00:00Z
                rpid: auth.example.com
                username: harry
                description: Good
                kid: AQI=
                public_key: AQID
              - created_at: 2024-01-01T00:00:00Z
                rpid: auth.example.com
                username: harry
                description: Broken
                kid: not base64!
            """);

        var export = await RunAsync("user", "webauthn", "export", "--file", existing, "--config", Config("db.sqlite3"));
        var import = await RunAsync("user", "webauthn", "import", "--file", bad, "--config", Config("db.sqlite3"));

        Assert.Equal(1, export.Code);
        Assert.Contains("exists already", export.Err, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(existing));
        Assert.Equal(1, import.Code);
        Assert.Contains("webauthn_credentials[1]: 'kid' is not base64", import.Err, StringComparison.Ordinal);
        Assert.Contains("webauthn_credentials[1]: 'public_key' is required", import.Err, StringComparison.Ordinal);
        using var db = SqliteDatabase.Open(_dir.File("db.sqlite3"), TestKeys.Key);
        Assert.Empty(await new WebAuthnCredentialStore(db).ListAllAsync("harry"));
    }

    [Fact]
    public async Task Importing_a_credential_registered_already_skips_it_and_exits_1()
    {
        await SeedAsync("db.sqlite3", Key("john", "YubiKey", 1));
        var file = _dir.File("export.yml");
        await RunAsync("user", "webauthn", "export", "--file", file, "--config", Config("db.sqlite3"));

        var again = await RunAsync("user", "webauthn", "import", "--file", file, "--config", Config("db.sqlite3"));

        Assert.Equal(1, again.Code);
        Assert.Contains("Skipped 'YubiKey' of john (auth.example.com)", again.Err, StringComparison.Ordinal);
        Assert.Contains("Imported 0 of 1 WebAuthn credentials.", again.Out, StringComparison.Ordinal);
    }

    /// <summary>Field by field, the byte arrays and lists by content.</summary>
    private sealed class CredentialComparer : IEqualityComparer<WebAuthnCredential>
    {
        public static readonly CredentialComparer Instance = new();

        public bool Equals(WebAuthnCredential? x, WebAuthnCredential? y) =>
            x is not null && y is not null && Fields(x) == Fields(y);

        public int GetHashCode(WebAuthnCredential obj) => Fields(obj).GetHashCode(StringComparison.Ordinal);

        private static string Fields(WebAuthnCredential c) => string.Join('|',
            c.Id, c.CreatedAt.ToUnixTimeMilliseconds(), c.LastUsedAt?.ToUnixTimeMilliseconds(), c.RpId, c.Username, c.Description,
            Convert.ToBase64String(c.Kid), c.Aaguid, c.AttestationType, c.AttestationFormat,
            string.Join(',', c.AttestationChain.Select(Convert.ToBase64String)), c.Authenticator, c.AttestationTrusted, c.Attachment,
            string.Join(',', c.Transports), c.SignCount, c.CloneWarning, c.Discoverable, c.Present, c.Verified, c.BackupEligible,
            c.BackupState, Convert.ToBase64String(c.PublicKey), c.Attestation is null ? "-" : Convert.ToBase64String(c.Attestation));
    }
}
