using Portal.Crypto;
using Portal.Tests.Support;
using Portal.Users;

namespace Portal.Tests.Users;

public sealed class UsersFileWriterTests
{
    private const string Digest = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5";

    private const string File = """
        # Managed by hand; keep the comments.
        users:
          john:
            displayname: "John Doe"   # trailing comment
            password: "$argon2id$v=19$m=65536,t=3,p=4$b2xkc2FsdCE$b2xka2V5b2xka2V5"
            email: john@example.com
            given_name: John
            groups:
              - admins
          harry:
            displayname: Harry
            password: $argon2id$v=19$m=65536,t=3,p=4$aGFycnlzYWw$aGFycnlrZXk
        """;

    [Fact]
    public void Only_the_users_password_value_changes_and_every_other_byte_stays()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("users.yml", File);

        Assert.Null(UsersFileWriter.SetPassword(path, "john", Digest));

        var expected = File.Replace("\"$argon2id$v=19$m=65536,t=3,p=4$b2xkc2FsdCE$b2xka2V5b2xka2V5\"", $"'{Digest}'", StringComparison.Ordinal);
        Assert.Equal(expected, System.IO.File.ReadAllText(path));
    }

    [Fact]
    public void The_new_file_loads_with_the_new_digest()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("users.yml", File);

        UsersFileWriter.SetPassword(path, "harry", Digest);

        var database = UsersFile.Load(path, new FileSearchOptions()).Database!;
        Assert.Equal(Digest, database.Find("harry")!.Digest.Encoded);
        Assert.Equal("$argon2id$v=19$m=65536,t=3,p=4$b2xkc2FsdCE$b2xka2V5b2xka2V5", database.Find("john")!.Digest.Encoded);
    }

    [Fact]
    public void The_file_keeps_its_permissions_and_no_temporary_file_is_left()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("users.yml", File);
        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        UsersFileWriter.SetPassword(path, "john", Digest);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(path));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void A_write_by_someone_else_between_the_read_and_the_rename_is_kept()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("users.yml", File);
        var raced = false;

        var error = UsersFileWriter.SetPassword(path, "john", Digest, beforeReplace: () =>
        {
            if (!raced)
            {
                raced = true;
                // An admin adds a user while the reset is being written.
                System.IO.File.AppendAllText(path, "\n  bob:\n    displayname: Bob\n    password: $argon2id$v=19$m=65536,t=3,p=4$Ym9ic2FsdCE$Ym9ia2V5eXk\n");
            }
        });

        Assert.Null(error);
        var database = UsersFile.Load(path, new FileSearchOptions()).Database!;
        Assert.Equal(Digest, database.Find("john")!.Digest.Encoded);
        Assert.NotNull(database.Find("bob"));
    }

    [Fact]
    public void An_unknown_user_leaves_the_file_unchanged()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("users.yml", File);

        var error = UsersFileWriter.SetPassword(path, "nobody", Digest);

        Assert.Contains("'nobody' has no password value", error, StringComparison.Ordinal);
        Assert.Equal(File, System.IO.File.ReadAllText(path));
    }

    [Fact]
    public async Task Concurrent_password_changes_of_different_users_through_the_provider_all_land()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("users.yml", File);
        var options = new FileBackendOptions
        {
            Path = path,
            Password = new PasswordHashOptions { Argon2 = new Argon2Options { Iterations = 1, Memory = 64, Parallelism = 1 } },
        };
        using var provider = FileUserProvider.TryCreate(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<FileUserProvider>.Instance, out var errors)!;
        Assert.Empty(errors);

        await Task.WhenAll(
            Task.Run(() => Assert.Null(provider.SetPassword("john", "john's new passphrase"))),
            Task.Run(() => Assert.Null(provider.SetPassword("harry", "harry's new passphrase"))));

        Assert.True(provider.CheckPassword("john", "john's new passphrase"));
        Assert.True(provider.CheckPassword("harry", "harry's new passphrase"));
        Assert.StartsWith("$argon2id$", UsersFile.Load(path, new FileSearchOptions()).Database!.Find("john")!.Digest.Encoded, StringComparison.Ordinal);
    }
}
