using Portal.Configuration;
using Portal.Storage;
using Portal.Tests.Support;

namespace Portal.Tests.Storage;

public sealed class StorageValidatorTests
{
    private static List<string> Validate(StorageOptions storage)
    {
        var diag = new ConfigDiagnostics();
        StorageValidator.Validate(new PortalOptions { Storage = storage }, diag);
        Assert.DoesNotContain(diag.Items, d => d.Severity == ConfigSeverity.Warning);
        return diag.Errors.Select(d => d.ToString()).ToList();
    }

    private static LocalStorageOptions Local => new() { Path = "/var/lib/portal/db.sqlite3" };

    [Fact]
    public void A_key_and_a_local_path_are_valid()
    {
        Assert.Empty(Validate(new StorageOptions { EncryptionKey = new string('k', 20), Local = Local }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_encryption_key_is_a_warning_naming_the_generated_key_file(string key)
    {
        var diag = new ConfigDiagnostics();
        StorageValidator.Validate(new PortalOptions { Storage = new StorageOptions { EncryptionKey = key, Local = Local } }, diag);

        Assert.False(diag.HasErrors);
        var warning = Assert.Single(diag.Warnings);
        Assert.StartsWith("storage: option 'encryption_key' is not set: a random key is generated on first start and kept in '", warning.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_generated_key_is_created_once_with_mode_0600_and_reused()
    {
        using var dir = new TempDirectory();
        var db = Path.Combine(dir.Path, "sub", "db.sqlite3");
        var (first, created) = GeneratedEncryptionKey.LoadOrCreate(db);
        var (second, createdAgain) = GeneratedEncryptionKey.LoadOrCreate(db);
        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first, second);
        Assert.True(first.Length >= StorageEncryption.MinimumKeyLength);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(GeneratedEncryptionKey.PathFor(db)));
    }

    [Fact]
    public void An_encryption_key_of_19_characters_is_too_short()
    {
        var errors = Validate(new StorageOptions { EncryptionKey = new string('k', 19), Local = Local });

        Assert.Equal(["storage: option 'encryption_key' must be 20 characters or longer"], errors);
    }

    [Fact]
    public void A_missing_local_section_is_reported_as_a_missing_path()
    {
        var errors = Validate(new StorageOptions { EncryptionKey = new string('k', 20) });

        Assert.Equal(["storage: local: option 'path' is required"], errors);
    }

    [Fact]
    public void An_empty_local_path_is_reported_with_its_path()
    {
        var errors = Validate(new StorageOptions { EncryptionKey = new string('k', 20), Local = new LocalStorageOptions() });

        Assert.Equal(["storage: local: option 'path' is required"], errors);
    }
}
