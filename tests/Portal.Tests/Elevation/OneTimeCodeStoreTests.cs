using Portal.Elevation;
using Portal.Storage;
using Portal.Storage.Sqlite;
using Portal.Tests.Storage;
using Portal.Tests.Support;

namespace Portal.Tests.Elevation;

/// <summary>The one-time code contract on SQLite, and what does not depend on the engine.</summary>
public sealed class OneTimeCodeStoreTests() : OneTimeCodeStoreContract(new SqliteStoreEngine())
{
    [Fact]
    public async Task Signatures_depend_on_the_storage_key_so_a_copied_database_cannot_check_guesses_elsewhere()
    {
        var signer = new OneTimeCodeSigner(Engine.Encryption);
        var other = new OneTimeCodeSigner(SqliteDatabase.Open(((SqliteStoreEngine)Engine).Directory.File("other.sqlite3"), TestKeys.OtherKey, Engine.Time).Encryption);

        Assert.NotEqual(signer.Sign("john", "192.0.2.1", "use", "ABCDEFGH"), other.Sign("john", "192.0.2.1", "use", "ABCDEFGH"));
        // Field boundaries are part of the signature.
        Assert.NotEqual(signer.Sign("john1", "1.2.3.4", "use", "ABCDEFGH"), signer.Sign("john", "11.2.3.4", "use", "ABCDEFGH"));
        await Task.CompletedTask;
    }

    [Fact]
    public void Public_ids_round_trip_through_their_strict_base64url_form()
    {
        var id = Guid.NewGuid();
        var text = OneTimeCodes.EncodePublicId(id);

        Assert.Equal(22, text.Length);
        Assert.True(OneTimeCodes.TryDecodePublicId(text, out var back));
        Assert.Equal(id, back);
        Assert.False(OneTimeCodes.TryDecodePublicId(text + "A", out _));
        Assert.False(OneTimeCodes.TryDecodePublicId(id.ToString(), out _));
        Assert.False(OneTimeCodes.TryDecodePublicId("!!!!!!!!!!!!!!!!!!!!!!", out _));
        Assert.False(OneTimeCodes.TryDecodePublicId(null, out _));
    }
}
