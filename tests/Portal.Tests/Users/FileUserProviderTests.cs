using Microsoft.Extensions.Logging;
using Portal.Users;
using Portal.Configuration;
using Portal.Crypto;
using Portal.Tests.Crypto;
using Portal.Tests.Support;

namespace Portal.Tests.Users;

public sealed class FileUserProviderTests : IDisposable
{
    private static readonly Argon2Parameters Cheap = new(Argon2Variant.Argon2id, Iterations: 1, MemoryKiB: 64, Parallelism: 1);

    private readonly TempDirectory _directory = new();
    private readonly ListLogger _logger = new();

    private string UsersPath => _directory.File("users.yml");

    public void Dispose() => _directory.Dispose();

    private static string User(string name, string password, string email = "", bool disabled = false) => $"""
          {name}:
            displayname: '{name} display'
            password: '{Argon2Digest.Create(password, Cheap).Encode()}'
            email: '{email}'
            groups: [users]
            disabled: {(disabled ? "true" : "false")}

        """;

    private FileBackendOptions Options(bool watch = false, bool caseInsensitive = false, bool email = false, Argon2Options? argon2 = null, string? path = null) => new()
    {
        Path = path ?? UsersPath,
        Watch = watch,
        Search = new FileSearchOptions { CaseInsensitive = caseInsensitive, Email = email },
        Password = new PasswordHashOptions { Argon2 = argon2 ?? new Argon2Options { Iterations = 1, Memory = 64, Parallelism = 1 } },
    };

    private FileUserProvider Create(FileBackendOptions options)
    {
        var provider = FileUserProvider.TryCreate(options, _logger, TimeSpan.FromMilliseconds(50), out var errors);
        Assert.Empty(errors);
        return provider!;
    }

    [Fact]
    public void The_right_password_is_accepted_and_a_wrong_one_refused()
    {
        File.WriteAllText(UsersPath, "users:\n" + User("alice", "wonderland"));
        using var provider = Create(Options());

        Assert.True(provider.CheckPassword("alice", "wonderland"));
        Assert.False(provider.CheckPassword("alice", "Wonderland"));
        Assert.False(provider.CheckPassword("alice", ""));
    }

    [Fact]
    public void A_disabled_user_behaves_exactly_like_an_unknown_user()
    {
        File.WriteAllText(UsersPath, "users:\n" + User("alice", "pw") + User("mallory", "pw", "m@example.com", disabled: true));
        using var provider = Create(Options(caseInsensitive: true, email: true));

        foreach (var login in new[] { "mallory", "m@example.com", "nobody" })
        {
            Assert.Null(provider.GetDetails(login));
            Assert.Null(provider.ResolveUsername(login));
            Assert.False(provider.CheckPassword(login, "pw"));
        }
    }

    [Fact]
    public void Login_forms_share_one_canonical_username()
    {
        File.WriteAllText(UsersPath, "users:\n" + User("alice", "pw", "alice@example.com"));
        using var provider = Create(Options(caseInsensitive: true, email: true));

        foreach (var login in new[] { "alice", "Alice", " alice ", "ALICE@example.com" })
        {
            Assert.Equal("alice", provider.ResolveUsername(login));
            Assert.Equal("alice", provider.GetDetails(login)?.Username);
            Assert.True(provider.CheckPassword(login, "pw"));
        }
    }

    [Fact]
    public void Details_come_from_the_file()
    {
        File.WriteAllText(UsersPath, "users:\n" + User("alice", "pw", "alice@example.com"));
        using var provider = Create(Options());

        var details = provider.GetDetails("alice")!;

        Assert.Equal(("alice", "alice display"), (details.Username, details.DisplayName));
        Assert.Equal(["alice@example.com"], details.Emails);
        Assert.Equal(["users"], details.Groups);
    }

    [Fact]
    public void Unknown_users_are_checked_against_a_dummy_digest_costed_like_the_users_digests()
    {
        var options = Options(argon2: new Argon2Options()); // Authelia defaults, deliberately unlike the file's digests
        File.WriteAllText(UsersPath, "users:\n" + User("alice", "pw"));
        using var provider = Create(options);

        Assert.Equal(Cheap, provider.DummyParameters);
        Assert.False(provider.CheckPassword("nobody", "pw"));
    }

    [Fact]
    public void Without_argon2_users_the_dummy_digest_uses_the_configured_parameters()
    {
        File.WriteAllText(UsersPath, $"users:\n  bob:\n    displayname: Bob\n    password: '{ReferenceVectors.Sha256CryptDefaultRounds}'\n");
        var options = Options(argon2: new Argon2Options { Iterations = 2, Memory = 128, Parallelism = 1 });
        using var provider = Create(options);

        Assert.Equal(new Argon2Parameters(Argon2Variant.Argon2id, 2, 128, 1), provider.DummyParameters);
        Assert.True(provider.CheckPassword("bob", "password"));
    }

    [Fact]
    public void A_missing_file_at_startup_gives_a_clear_error_and_no_provider()
    {
        var provider = FileUserProvider.TryCreate(Options(), _logger, TimeSpan.FromMilliseconds(50), out var errors);

        Assert.Null(provider);
        Assert.Equal([$"users file '{UsersPath}': the file does not exist"], errors);
    }

    [Fact]
    public void A_missing_path_or_bad_argon2_settings_are_reported()
    {
        var noPath = Options(path: "");
        Assert.Null(FileUserProvider.TryCreate(noPath, _logger, TimeSpan.Zero, out var errors));
        Assert.Equal(["authentication_backend: file: option 'path' is required"], errors);

        var badArgon2 = Options(argon2: new Argon2Options { Iterations = 1, Memory = 64, Parallelism = 1, SaltLength = 2 });
        Assert.Null(FileUserProvider.TryCreate(badArgon2, _logger, TimeSpan.Zero, out errors));
        Assert.Contains("salt_length", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_swaps_in_a_valid_new_file()
    {
        File.WriteAllText(UsersPath, "users:\n" + User("alice", "pw"));
        using var provider = Create(Options());

        File.WriteAllText(UsersPath, "users:\n" + User("bob", "pw2"));

        Assert.Empty(provider.Reload());
        Assert.Equal(1, provider.Generation);
        Assert.Null(provider.GetDetails("alice"));
        Assert.True(provider.CheckPassword("bob", "pw2"));
    }

    [Fact]
    public void Reload_of_an_unchanged_file_keeps_the_snapshot()
    {
        File.WriteAllText(UsersPath, "users:\n" + User("alice", "pw"));
        using var provider = Create(Options());
        var before = provider.Database;

        Assert.Empty(provider.Reload());

        Assert.Same(before, provider.Database);
        Assert.Equal(0, provider.Generation);
    }

    [Theory]
    [InlineData("users:\n  alice: [\n")]
    [InlineData("users:\n  alice:\n    displayname: A\n    password: plaintext\n")]
    [InlineData("users: {}\n")]
    [InlineData(null)]
    public void A_bad_reload_keeps_the_previous_users_and_logs_errors(string? replacement)
    {
        File.WriteAllText(UsersPath, "users:\n" + User("alice", "pw"));
        using var provider = Create(Options());

        if (replacement is null)
        {
            File.Delete(UsersPath);
        }
        else
        {
            File.WriteAllText(UsersPath, replacement);
        }
        var errors = provider.Reload();

        Assert.NotEmpty(errors);
        Assert.Equal(errors, provider.LastReloadErrors);
        Assert.Equal(1, provider.FailedReloads);
        Assert.True(provider.CheckPassword("alice", "pw"));
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(errors[0], StringComparison.Ordinal));
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("Keeping the previous 1 users", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_watched_file_is_reloaded_after_it_changes()
    {
        File.WriteAllText(UsersPath, "users:\n" + User("alice", "pw"));
        using var provider = Create(Options(watch: true));

        File.WriteAllText(UsersPath, "users:\n" + User("alice", "pw") + User("bob", "builder"));

        await Eventually.UntilAsync("the watcher to load the new file", () => provider.GetDetails("bob") is not null);
        Assert.True(provider.CheckPassword("bob", "builder"));
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("2 enabled users", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_watched_file_replaced_by_rename_is_reloaded()
    {
        File.WriteAllText(UsersPath, "users:\n" + User("alice", "pw"));
        using var provider = Create(Options(watch: true));

        // How editors and config-management tools save: write elsewhere, then rename over the original.
        var temporary = _directory.File("users.yml.tmp");
        File.WriteAllText(temporary, "users:\n" + User("carol", "pw3"));
        File.Move(temporary, UsersPath, overwrite: true);

        await Eventually.UntilAsync("the watcher to load the renamed file", () => provider.GetDetails("carol") is not null);
        Assert.True(provider.CheckPassword("carol", "pw3"));
        Assert.Null(provider.GetDetails("alice"));
    }

    [Fact]
    public async Task A_watched_file_that_turns_bad_keeps_the_previous_users_until_fixed()
    {
        File.WriteAllText(UsersPath, "users:\n" + User("alice", "pw"));
        using var provider = Create(Options(watch: true));

        File.WriteAllText(UsersPath, "users:\n  alice:\n    displayname: Alice\n");
        // Waits for this specific error: a read that catches the file half-written fails differently first.
        await Eventually.UntilAsync("the watcher to reject the bad file",
            () => provider.LastReloadErrors.Any(e => e.Contains("option 'password' is required", StringComparison.Ordinal)));

        Assert.True(provider.CheckPassword("alice", "pw"));
        Assert.True(provider.FailedReloads > 0);

        File.WriteAllText(UsersPath, "users:\n" + User("alice", "new-pw"));
        await Eventually.UntilAsync("the watcher to load the fixed file", () => provider.CheckPassword("alice", "new-pw"));

        Assert.False(provider.CheckPassword("alice", "pw"));
        Assert.True(provider.Generation > 0);
    }

    [Fact]
    public async Task Each_snapshot_readers_see_is_a_whole_file_during_reloads()
    {
        File.WriteAllText(UsersPath, "users:\n" + User("alice", "pw") + User("bob", "pw"));
        using var provider = Create(Options());
        var alternate = new[] { "users:\n" + User("alice", "pw") + User("bob", "pw"), "users:\n" + User("alice", "pw") + User("carol", "pw") };
        using var stop = new CancellationTokenSource();
        var reading = new TaskCompletionSource();

        var reader = Task.Run(() =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                // Exactly one of bob/carol exists in any snapshot; a half-applied reload would show neither or both.
                var snapshot = provider.Database;
                var present = (snapshot.Find("bob") is not null ? 1 : 0) + (snapshot.Find("carol") is not null ? 1 : 0);
                Assert.Equal(1, present);
                Assert.NotNull(provider.GetDetails("alice"));
                reads++;
                reading.TrySetResult();
            }
            return reads;
        });
        // On a busy thread pool the reader can start after the last reload: the reloads wait for it to be reading.
        await Task.WhenAny(reading.Task, reader).WaitAsync(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 20; i++)
        {
            File.WriteAllText(UsersPath, alternate[(i + 1) % 2]);
            Assert.Empty(provider.Reload());
        }
        stop.Cancel();

        Assert.True(await reader > 0);
        Assert.Equal(20, provider.Generation);
    }

    private sealed class ListLogger : ILogger
    {
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public IReadOnlyList<(LogLevel Level, string Message)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
