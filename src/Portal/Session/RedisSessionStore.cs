using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Portal.Configuration;
using Portal.Users;
using StackExchange.Redis;

namespace Portal.Session;

/// <summary>
/// Sessions in Redis (<c>session.redis</c>), for several portal nodes or to survive restarts. Values are encrypted
/// (<see cref="SessionPayloadProtector"/>) under <c>portal-session:&lt;id&gt;</c>, and every save re-applies the TTL.
/// <para>
/// Availability: the connection is made with <c>abortConnect=false</c> and a fail-fast backlog, so while Redis is
/// down every call throws <see cref="SessionStoreUnavailableException"/> within <c>session.redis.timeout</c>
/// instead of queueing, and the multiplexer keeps reconnecting in the background: the same instance works again
/// once Redis is back, with no restart of the portal.
/// </para>
/// <para>
/// Reads: a session read in the last second is answered from this node's <see cref="SessionReadCache"/>. Every
/// save and delete, from any node, publishes the id on <see cref="InvalidationChannel"/>; every node is subscribed
/// and drops its copy, so a logout on one node is seen by the others as soon as the message arrives. While a
/// connection is down (messages may be missed) the cache is off and emptied, and Redis is asked every time.
/// </para>
/// </summary>
internal sealed partial class RedisSessionStore : ISessionStore, IAsyncDisposable, IDisposable
{
    public const string KeyPrefix = "portal-session:";

    /// <summary>A set per user (<c>portal-user-sessions:&lt;user key&gt;</c>) of the ids saved signed in as that user.</summary>
    public const string UserIndexPrefix = "portal-user-sessions:";

    /// <summary>Where saves and deletes are announced; per database, as pub/sub channels span all databases.</summary>
    public static RedisChannel InvalidationChannel(int database) =>
        RedisChannel.Literal("portal-session-invalidate:" + database.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private readonly ConnectionMultiplexer _redis;
    private readonly SessionPayloadProtector _protector;
    private readonly int _database;
    private readonly ILogger<RedisSessionStore> _logger;
    private readonly SessionReadCache _cache;
    private readonly RedisChannel _channel;
    private readonly Lock _health = new();
    private readonly Timer _healthCheck;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, InFlightRead> _reads = new(StringComparer.Ordinal);
    private bool _subscribed;

    // Names this node in its own announcements, so it does not drop what it has just read back after its own write
    // (its copy was dropped locally when the write completed).
    private readonly string _node = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    private RedisSessionStore(
        ConnectionMultiplexer redis, SessionPayloadProtector protector, RedisOptions options,
        SessionReadCache cache, ILogger<RedisSessionStore> logger)
    {
        _redis = redis;
        _protector = protector;
        _database = options.DatabaseIndex;
        _cache = cache;
        _channel = InvalidationChannel(_database);
        _logger = logger;
        // Failures are reported as events, recovery not always (a failover moves to a new endpoint that was never
        // "restored"), so a suspended cache looks again every second.
        _healthCheck = new Timer(_ => TryResume(), null, HealthCheckInterval, HealthCheckInterval);
    }

    private static readonly TimeSpan HealthCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>This node's copy of recently read sessions (exposed for tests).</summary>
    internal SessionReadCache Cache => _cache;

    /// <summary>
    /// Connects (or starts connecting, if Redis is down: this never throws for an unreachable server) and returns
    /// the store. <paramref name="secret"/> is <c>session.secret</c>.
    /// </summary>
    public static async Task<RedisSessionStore> ConnectAsync(
        RedisOptions options, string secret, ILogger<RedisSessionStore> logger, TimeSpan? cacheMaxAge = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var protector = new SessionPayloadProtector(secret);
        try
        {
            var redis = await ConnectionMultiplexer.ConnectAsync(BuildConfiguration(options));
            var cache = new SessionReadCache(TimeProvider.System, cacheMaxAge ?? SessionReadCache.DefaultMaxAge, SessionReadCache.DefaultCapacity);
            var store = new RedisSessionStore(redis, protector, options, cache, logger);
            redis.ConnectionFailed += (_, e) =>
            {
                LogConnectionFailed(logger, e.EndPoint, e.FailureType, e.Exception);
                store.OnConnectionFailed();
            };
            redis.ConnectionRestored += (_, e) =>
            {
                LogConnectionRestored(logger, e.EndPoint);
                store.TryResume();
            };
            if (!redis.IsConnected)
            {
                LogNotConnectedAtStartup(logger, DescribeEndpoint(options));
            }
            await store.SubscribeAsync();
            return store;
        }
        catch
        {
            protector.Dispose();
            throw;
        }
    }

    /// <summary>The client configuration for <c>session.redis</c>; exposed for tests of the option mapping.</summary>
    internal static ConfigurationOptions BuildConfiguration(RedisOptions options)
    {
        var timeoutMs = (int)Math.Clamp(options.Timeout.TotalMilliseconds, 1, int.MaxValue);
        var config = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            // Queueing commands while disconnected would turn an outage into slow requests; fail at once instead.
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = timeoutMs,
            SyncTimeout = timeoutMs,
            AsyncTimeout = timeoutMs,
            ConnectRetry = Math.Max(1, options.MaxRetries),
            // Retry every second rather than backing off exponentially, so recovery is prompt after an outage.
            ReconnectRetryPolicy = new LinearRetry(1000),
            DefaultDatabase = options.DatabaseIndex,
            ClientName = "portal",
        };
        if (options.HighAvailability is { } ha)
        {
            // Sentinel: the client asks the Sentinels for the primary of sentinel_name and follows every failover
            // itself. Writes go to the primary; reads prefer it, whatever route_by_latency/route_randomly say (a
            // replica may lag behind a logout), and fall back to a replica only while no primary answers: what it
            // holds then is what it will hold once promoted.
            config.ServiceName = ha.SentinelName;
            config.EndPoints.Add(options.Host, options.EffectivePort());
            foreach (var node in ha.Nodes)
            {
                config.EndPoints.Add(node.Host, node.Port);
            }
            if (ha.SentinelUsername.Length > 0)
            {
                config.SentinelUser = ha.SentinelUsername;
            }
            if (ha.SentinelPassword.Length > 0)
            {
                config.SentinelPassword = ha.SentinelPassword;
            }
        }
        else if (Path.IsPathRooted(options.Host))
        {
            config.EndPoints.Add(new UnixDomainSocketEndPoint(options.Host));
        }
        else
        {
            config.EndPoints.Add(options.Host, options.EffectivePort());
        }
        if (options.Username.Length > 0)
        {
            config.User = options.Username;
        }
        if (options.Password.Length > 0)
        {
            config.Password = options.Password;
        }
        if (options.Tls is { } tls)
        {
            config.Ssl = true;
            config.SslHost = tls.ServerName.Length > 0 ? tls.ServerName : options.Host;
            config.SslProtocols = MinimumTlsProtocols(tls.MinimumVersion);
            if (tls.SkipVerify)
            {
#pragma warning disable CA5359 // The admin asked for it explicitly with tls.skip_verify.
                config.CertificateValidation += static (_, _, _, _) => true;
#pragma warning restore CA5359
            }
        }
        return config;
    }

    /// <summary>
    /// The protocols allowed by <c>tls.minimum_version</c> (validated earlier). For TLS 1.2 we let the OS choose
    /// (<c>None</c>): on every supported OS that already excludes anything older than 1.2, and it picks up newer
    /// versions without a code change.
    /// </summary>
#pragma warning disable CA5397 // Pinning 1.3 is what the admin asked for; it removes versions, it never adds weak ones.
    internal static SslProtocols MinimumTlsProtocols(string minimumVersion) =>
        string.Equals(minimumVersion.Replace(" ", "", StringComparison.Ordinal), "TLS1.3", StringComparison.OrdinalIgnoreCase)
            ? SslProtocols.Tls13
            : SslProtocols.None;
#pragma warning restore CA5397

    public Task<UserSession?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ReadSharedAsync(id);
    }

    public async Task<UserSession?> LoadRecentAsync(string id, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(id, out var cached, out var refreshDue))
        {
            if (refreshDue)
            {
                _ = RefreshAsync(id);
            }
            return cached;
        }
        cancellationToken.ThrowIfCancellationRequested();
        return await ReadSharedAsync(id);
    }

    /// <summary>Reads the session again for the cache while its copy is still answered; a failure just lets it expire.</summary>
    private async Task RefreshAsync(string id)
    {
        try
        {
            await ReadSharedAsync(id);
        }
        catch (SessionStoreUnavailableException)
        {
            // Logged by RunAsync; the copy expires on time and the next request asks Redis itself.
        }
    }

    /// <summary>
    /// One read of <paramref name="id"/> at a time: requests that miss together (every connection of a busy app, right
    /// after a save dropped the copy) share the read begun at the same cache generation - so it cannot predate a
    /// change this node has heard of - and each gets its own copy of the answer. Bounded by the Redis timeout.
    /// </summary>
    private async Task<UserSession?> ReadSharedAsync(string id)
    {
        while (true)
        {
            var generation = _cache.Generation;
            if (_reads.TryGetValue(id, out var current) && current.Generation == generation)
            {
                return (await current.Read)?.Copy();
            }
            var read = new TaskCompletionSource<UserSession?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var mine = new InFlightRead(generation, read.Task);
            if (!(current is null ? _reads.TryAdd(id, mine) : _reads.TryUpdate(id, mine, current)))
            {
                continue;
            }
            try
            {
                var session = await ReadAsync(id, generation);
                read.SetResult(session);
                return session?.Copy();
            }
            catch (Exception e)
            {
                read.SetException(e);
                // Seen by whoever joined; observed here so a read nobody joined leaves no unobserved exception.
                _ = read.Task.Exception;
                throw;
            }
            finally
            {
                _reads.TryRemove(new KeyValuePair<string, InFlightRead>(id, mine));
            }
        }
    }

    private sealed record InFlightRead(long Generation, Task<UserSession?> Read);

    private async Task<UserSession?> ReadAsync(string id, long generation)
    {
        var value = await RunAsync(db => db.StringGetAsync(Key(id)), CancellationToken.None);
        if (value.IsNull)
        {
            return null;
        }
        var stored = (byte[])value!;
        var plaintext = _protector.Unprotect(id, stored);
        var session = plaintext is null ? null : SessionSerializer.Deserialize(plaintext);
        if (session is null)
        {
            // A different session.secret, tampering, or a payload from an incompatible version: treat as no session.
            LogUnreadablePayload(_logger);
            return null;
        }
        session.StoredForm = stored;
        _cache.Offer(id, generation, stored, session);
        return session;
    }

    // A signed-in session is saved together with its entry in the user's index, which lives at least as long.
    private const string SetIndexedScript = """
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        redis.call('SADD', KEYS[2], ARGV[3])
        if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
        return 1
        """;

    public async Task SaveAsync(string id, UserSession session, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        var payload = _protector.Protect(id, SessionSerializer.Serialize(session));
        if (session.IsAnonymous)
        {
            await RunAsync(db => db.StringSetAsync(Key(id), payload, ttl, When.Always, CommandFlags.None), cancellationToken);
        }
        else
        {
            await RunAsync(db => db.ScriptEvaluateAsync(SetIndexedScript, [Key(id), IndexKey(session.Username)],
                [payload, Milliseconds(ttl), id]), cancellationToken);
        }
        Changed(id);
        session.StoredForm = payload;
    }

    // Compare and set in one step on the server. The payload is encrypted with a fresh nonce on every save, so equal
    // bytes mean nobody saved in between.
    // The user's index (KEYS[2], if any) is kept at least as long as the session it lists.
    private const string SetIfUnchangedScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
          if KEYS[2] then
            redis.call('SADD', KEYS[2], ARGV[4])
            if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
          end
          return 1
        end
        return 0
        """;

    public async Task<bool> SaveIfUnchangedAsync(string id, UserSession session, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        if (session.StoredForm is not byte[] loaded)
        {
            return false;
        }
        var payload = _protector.Protect(id, SessionSerializer.Serialize(session));
        RedisKey[] keys = session.IsAnonymous ? [Key(id)] : [Key(id), IndexKey(session.Username)];
        var result = await RunAsync(db => db.ScriptEvaluateAsync(SetIfUnchangedScript, keys,
            [loaded, payload, Milliseconds(ttl), id]), cancellationToken);
        if ((long)result != 1)
        {
            return false;
        }
        Changed(id);
        session.StoredForm = payload;
        return true;
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await RunAsync(db => db.KeyDeleteAsync(Key(id)), cancellationToken);
        Changed(id);
    }

    /// <summary>
    /// After a write has completed: drop this node's copy, then tell the other nodes. The message goes out on the
    /// connection that carried the write, right behind it; fire-and-forget, as a lost message is bounded by the
    /// cache's age limit and a failed connection suspends every node's cache.
    /// </summary>
    private void Changed(string id)
    {
        _cache.Invalidate(id);
        try
        {
            _redis.GetSubscriber().Publish(_channel, _node + " " + id, CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or ObjectDisposedException)
        {
            LogPublishFailed(_logger, e.GetType().Name);
        }
    }

    private async Task SubscribeAsync()
    {
        try
        {
            await _redis.GetSubscriber().SubscribeAsync(_channel, (_, message) => OnAnnouncement(message));
            lock (_health)
            {
                _subscribed = true;
            }
            TryResume();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Redis is down at startup: the cache stays off; the restored connection subscribes again.
            LogSubscribeFailed(_logger, e.GetType().Name);
        }
    }

    /// <summary>"&lt;node&gt; &lt;session id&gt;"; anything else (another version, a stray publisher) empties the cache.</summary>
    private void OnAnnouncement(RedisValue message)
    {
        var text = message.IsNullOrEmpty ? "" : (string)message!;
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !SessionIds.IsWellFormed(text[(space + 1)..]))
        {
            _cache.Clear();
            return;
        }
        if (!text.AsSpan(0, space).SequenceEqual(_node))
        {
            _cache.Invalidate(text[(space + 1)..]);
        }
    }

    /// <summary>A connection failed: invalidations may be missed from now on, so nothing is answered from the copy.</summary>
    private void OnConnectionFailed()
    {
        lock (_health)
        {
            _cache.Suspend();
        }
    }

    /// <summary>
    /// Turns a suspended cache back on once the client is connected and the invalidation channel is subscribed on
    /// the server it reaches (subscribing again if the first attempt failed).
    /// </summary>
    private void TryResume()
    {
        bool subscribe;
        lock (_health)
        {
            if (_cache.IsActive)
            {
                return;
            }
            subscribe = !_subscribed;
            if (!subscribe && _redis.IsConnected && _redis.GetSubscriber().IsConnected(_channel))
            {
                _cache.Resume();
            }
        }
        if (subscribe && _redis.IsConnected)
        {
            _ = SubscribeAsync();
        }
    }

    public async Task<IReadOnlyList<StoredSession>> ListForUserAsync(string userKey, CancellationToken cancellationToken)
    {
        RedisKey index = UserIndexPrefix + userKey;
        var ids = await RunAsync(db => db.SetMembersAsync(index), cancellationToken);
        if (ids.Length == 0)
        {
            return [];
        }
        var values = await RunAsync(db => db.StringGetAsync(ids.Select(i => Key((string)i!)).ToArray()), cancellationToken);
        var found = new List<StoredSession>();
        var gone = new List<RedisValue>();
        for (var i = 0; i < ids.Length; i++)
        {
            var id = (string)ids[i]!;
            var plaintext = values[i].IsNull ? null : _protector.Unprotect(id, (byte[])values[i]!);
            var session = plaintext is null ? null : SessionSerializer.Deserialize(plaintext);
            if (session is null || Usernames.Key(session.Username) != userKey)
            {
                gone.Add(ids[i]);
                continue;
            }
            session.StoredForm = (byte[])values[i]!;
            found.Add(new StoredSession(id, session));
        }
        if (gone.Count > 0)
        {
            await RunAsync(db => db.SetRemoveAsync(index, [.. gone]), cancellationToken);
        }
        return found;
    }

    private static RedisKey Key(string id) => KeyPrefix + id;

    private static RedisKey IndexKey(string username) => UserIndexPrefix + Usernames.Key(username);

    private static long Milliseconds(TimeSpan ttl) => (long)Math.Ceiling(ttl.TotalMilliseconds);

    /// <summary>
    /// Runs one command, bounded by the configured timeout even if the client's own timeout does not fire
    /// (for example a server that accepts the connection but never answers), and maps every Redis failure to
    /// <see cref="SessionStoreUnavailableException"/>.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> command, CancellationToken cancellationToken)
    {
        try
        {
            // The client enforces session.redis.timeout itself (AsyncTimeout: RedisTimeoutException); a WaitAsync
            // here added a timer per command, which under load cost more than the command.
            cancellationToken.ThrowIfCancellationRequested();
            return await command(_redis.GetDatabase(_database));
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            LogUnavailable(_logger, e.GetType().Name, e);
            throw new SessionStoreUnavailableException("The session store (Redis) is unavailable.", e);
        }
    }

    private static string DescribeEndpoint(RedisOptions options) =>
        options.HighAvailability is { } ha
            ? $"the primary of '{ha.SentinelName}' (Sentinel {options.Host}:{options.EffectivePort().ToString(System.Globalization.CultureInfo.InvariantCulture)})"
            : Path.IsPathRooted(options.Host) ? options.Host : $"{options.Host}:{options.EffectivePort().ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public void Dispose()
    {
        _healthCheck.Dispose();
        _redis.Dispose();
        _protector.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _healthCheck.DisposeAsync();
        await _redis.DisposeAsync();
        _protector.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session store: Redis at {Endpoint} is not reachable yet; requests needing a session will be denied until it is")]
    private static partial void LogNotConnectedAtStartup(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session store: Redis connection to {Endpoint} failed ({FailureType})")]
    private static partial void LogConnectionFailed(ILogger logger, EndPoint? endpoint, ConnectionFailureType failureType, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session store: Redis connection to {Endpoint} restored")]
    private static partial void LogConnectionRestored(ILogger logger, EndPoint? endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session store: Redis command failed ({ErrorType}); denying")]
    private static partial void LogUnavailable(ILogger logger, string errorType, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session store: could not announce a session change to other nodes ({ErrorType}); they see it within a second")]
    private static partial void LogPublishFailed(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session store: could not subscribe to session changes ({ErrorType}); every read goes to Redis until the connection is restored")]
    private static partial void LogSubscribeFailed(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session store: a stored session could not be decrypted or parsed; treating it as no session")]
    private static partial void LogUnreadablePayload(ILogger logger);
}
