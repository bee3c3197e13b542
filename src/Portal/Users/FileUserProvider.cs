using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Portal.Configuration;
using Portal.Crypto;

namespace Portal.Users;

/// <summary>
/// <c>authentication_backend.file</c>: users from a YAML file, held as an immutable <see cref="UsersDatabase"/>
/// snapshot. With <c>watch: true</c> the file is re-read shortly after it changes; a file that fails to load is
/// logged and ignored, so the portal keeps the last good users rather than dropping to none.
/// </summary>
internal sealed partial class FileUserProvider : IUserProvider, IDisposable
{
    private readonly FileBackendOptions _options;
    private readonly Argon2Parameters _configuredArgon2;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer? _debounce;

    private volatile Snapshot _current;
    private volatile IReadOnlyList<string> _lastReloadErrors = [];
    private long _generation;
    private long _failedReloads;
    private bool _disposed;

    private FileUserProvider(FileBackendOptions options, Argon2Parameters configuredArgon2, UsersDatabase database,
        byte[] contentHash, ILogger logger, TimeSpan debounce)
    {
        _options = options;
        _configuredArgon2 = configuredArgon2;
        _logger = logger;
        _current = new Snapshot(database, contentHash, MakeDummy(database, configuredArgon2, null));
        DebounceDelay = debounce;
        if (options.Watch)
        {
            var fullPath = Path.GetFullPath(options.Path);
            // Watch the directory, not the file: editors and config-map mounts replace the file by renaming
            // another one over it, which a watch on the file itself would miss.
            _debounce = new Timer(_ => ReloadFromWatcher(), null, Timeout.Infinite, Timeout.Infinite);
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(fullPath)!)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            _watcher.Changed += OnFileSystemEvent;
            _watcher.Created += OnFileSystemEvent;
            _watcher.Deleted += OnFileSystemEvent;
            _watcher.Renamed += OnFileSystemEvent;
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>How long to wait after the last change event before re-reading, so one save triggers one reload.</summary>
    public TimeSpan DebounceDelay { get; }

    /// <summary>Incremented each time a changed file loads successfully and replaces the users.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Incremented each time a reload fails and the previous users are kept.</summary>
    public long FailedReloads => Interlocked.Read(ref _failedReloads);

    /// <summary>The errors from the most recent reload; empty when it succeeded or the file was unchanged.</summary>
    public IReadOnlyList<string> LastReloadErrors => _lastReloadErrors;

    /// <summary>The cost of the dummy check made for unknown users.</summary>
    internal Argon2Parameters DummyParameters => _current.Dummy.Parameters;

    /// <summary>The users currently in effect.</summary>
    public UsersDatabase Database => _current.Database;

    /// <summary>
    /// Loads the users file and, when it is valid, returns a provider (watching the file if configured).
    /// Otherwise returns <c>null</c> and every error, for startup to report.
    /// </summary>
    public static FileUserProvider? TryCreate(FileBackendOptions options, ILogger<FileUserProvider> logger,
        out IReadOnlyList<string> errors) => TryCreate(options, logger, TimeSpan.FromMilliseconds(500), out errors);

    internal static FileUserProvider? TryCreate(FileBackendOptions options, ILogger logger, TimeSpan debounce,
        out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            errors = ["authentication_backend: file: option 'path' is required"];
            return null;
        }
        var argon2 = Argon2Parameters.FromOptions(options.Password.Argon2);
        var argon2Errors = argon2.Validate();
        if (argon2Errors.Count > 0)
        {
            errors = [.. argon2Errors.Select(e => $"authentication_backend: file: password: argon2: {e}")];
            return null;
        }
        var (result, hash) = Read(options);
        errors = result.Errors;
        return result.Database is null ? null : new FileUserProvider(options, argon2, result.Database, hash, logger, debounce);
    }

    public string? ResolveUsername(string login) => _current.Database.Find(login)?.Details.Username;

    public UserDetails? GetDetails(string login) => _current.Database.Find(login)?.Details;

    public bool CheckPassword(string login, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length == 0)
        {
            // Rejected before any lookup, so it reveals nothing about the user.
            return false;
        }
        var snapshot = _current;
        var user = snapshot.Database.Find(login);
        if (user is null)
        {
            // Same work as a real check, and the result is discarded: only the time spent matters here.
            _ = snapshot.Dummy.Matches(password);
            return false;
        }
        return user.Digest.Matches(password);
    }

    /// <summary>
    /// Sets the password of <paramref name="username"/> (the canonical name): a new argon2 digest with the configured
    /// parameters (<c>authentication_backend.file.password.argon2</c>) is written into the users file in place of the
    /// old one (<see cref="UsersFileWriter"/>), and the file is reloaded. Null on success, else why nothing changed.
    /// </summary>
    /// <param name="beforeReplace">test hook, see <see cref="UsersFileWriter.SetPassword"/></param>
    public string? SetPassword(string username, string password, Action? beforeReplace = null)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentException.ThrowIfNullOrEmpty(password);
        // Hashed outside the lock: it is the slow part, and needs nothing the lock protects.
        var digest = Argon2Digest.Create(password, _configuredArgon2).Encode();
        lock (_reloadLock)
        {
            if (_disposed)
            {
                return "the users file is closed";
            }
            var error = UsersFileWriter.SetPassword(_options.Path, username, digest, beforeReplace);
            if (error is not null)
            {
                return error;
            }
            var errors = Reload();
            return errors.Count > 0 ? "the users file was written but does not load: " + string.Join("; ", errors) : null;
        }
    }

    /// <summary>
    /// Re-reads the file now. Returns the errors (empty on success or when the content is unchanged); on errors the
    /// current users stay in place.
    /// </summary>
    public IReadOnlyList<string> Reload()
    {
        lock (_reloadLock)
        {
            var (result, hash) = Read(_options);
            var current = _current;
            if (result.Database is null)
            {
                Interlocked.Increment(ref _failedReloads);
                _lastReloadErrors = result.Errors;
                foreach (var error in result.Errors)
                {
                    LogReloadError(_logger, error);
                }
                LogKeptPreviousUsers(_logger, current.Database.EnabledCount);
                return result.Errors;
            }
            _lastReloadErrors = [];
            if (CryptographicOperations.FixedTimeEquals(hash, current.ContentHash))
            {
                return [];
            }
            _current = new Snapshot(result.Database, hash, MakeDummy(result.Database, _configuredArgon2, current));
            Interlocked.Increment(ref _generation);
            LogReloaded(_logger, _options.Path, result.Database.EnabledCount);
            var changed = ChangedPasswords(current.Database, result.Database);
            if (changed.Count > 0)
            {
                PasswordsChanged?.Invoke(changed);
            }
            return [];
        }
    }

    /// <summary>
    /// Raised after a reload with the users whose password the file changed (users added or removed are not in it:
    /// a removed or disabled user already loses every session on its next request).
    /// </summary>
    public event Action<IReadOnlyList<string>>? PasswordsChanged;

    private static List<string> ChangedPasswords(UsersDatabase before, UsersDatabase after)
    {
        var old = before.Users.ToDictionary(u => u.Details.Username, u => u.Digest.Encoded, StringComparer.Ordinal);
        return [.. after.Users
            .Where(u => old.TryGetValue(u.Details.Username, out var digest) && !string.Equals(digest, u.Digest.Encoded, StringComparison.Ordinal))
            .Select(u => u.Details.Username)];
    }

    public void Dispose()
    {
        lock (_reloadLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        _watcher?.Dispose();
        _debounce?.Dispose();
    }

    private void OnFileSystemEvent(object sender, FileSystemEventArgs e)
    {
        // Any change in the directory restarts the wait; the content hash check makes unrelated changes free.
        try
        {
            _debounce?.Change(DebounceDelay, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // An event raced with Dispose; nothing left to reload.
        }
    }

    private void ReloadFromWatcher()
    {
        lock (_reloadLock)
        {
            if (_disposed)
            {
                return;
            }
            Reload();
        }
    }

    private static (UsersFileLoadResult Result, byte[] Hash) Read(FileBackendOptions options)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(options.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : e.Message;
            return (new UsersFileLoadResult(null, [$"users file '{options.Path}': {reason}"]), []);
        }
        var text = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(bytes).TrimStart('\uFEFF');
        return (UsersFile.Parse(text, options.Path, options.Search), SHA256.HashData(bytes));
    }

    /// <summary>
    /// A digest of a random password at the cost most users' digests have, checked for unknown users. Reused while
    /// the parameters stay the same, since making one costs a full hash.
    /// </summary>
    private static Argon2Digest MakeDummy(UsersDatabase database, Argon2Parameters configured, Snapshot? previous)
    {
        var parameters = database.MostCommonArgon2Parameters() ?? configured;
        if (previous?.Dummy is { } existing && existing.Parameters == parameters)
        {
            return existing;
        }
        return Argon2Digest.Create(RandomString.Generate(32, RandomString.Alphanumeric), parameters);
    }

    private sealed record Snapshot(UsersDatabase Database, byte[] ContentHash, Argon2Digest Dummy);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading the users file failed: {Error}")]
    private static partial void LogReloadError(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Keeping the previous {Count} users until the users file is fixed")]
    private static partial void LogKeptPreviousUsers(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reloaded users file {Path}: {Count} enabled users")]
    private static partial void LogReloaded(ILogger logger, string path, int count);
}
