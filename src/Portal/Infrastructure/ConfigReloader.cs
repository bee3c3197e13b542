using System.Runtime.InteropServices;
using System.Text.Json;
using Portal.AccessControl;
using Portal.Configuration;
using Portal.Gateway;

namespace Portal.Infrastructure;

/// <summary>
/// Reloads the access rules without a restart (authelia#1275): when a configuration file changes, or on
/// <c>SIGHUP</c>, the whole configuration is loaded and validated again, exactly as <c>serve</c> and
/// <c>validate-config</c> do. Valid: the new <c>access_control</c> replaces the old in one step
/// (<see cref="AccessRules"/>) and the log says which rules came and went. Invalid: the running rules stay, every
/// error is logged with its YAML path, and <c>/api/health</c> reports the failed reload. With a gateway running in
/// the same process (<see cref="AttachGateway"/>), changed <c>gateway.routes</c> are swapped in right after the rules,
/// so a new route is only ever reachable under the rules it came with. Sections that cannot change while running are
/// named in the log as needing a restart.
/// </summary>
internal sealed partial class ConfigReloader : IHostedService, IDisposable
{
    /// <summary>Editors write a file in several steps; one reload after they are done.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    private static readonly JsonSerializerOptions Canonical = new() { WriteIndented = false, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly IReadOnlyList<string> _files;
    private readonly AccessRules _rules;
    private readonly ILogger<ConfigReloader> _logger;
    private readonly Lock _lock = new();
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Timer _debounce;
    private PortalOptions _running;
    private PosixSignalRegistration? _hangup;
    private Action<GatewayOptions>? _replaceGatewayRoutes;
    private ConfigReloadStatus _status = ConfigReloadStatus.NotReloaded;

    public ConfigReloader(IReadOnlyList<string> files, PortalOptions running, AccessRules rules, ILogger<ConfigReloader> logger)
    {
        ArgumentNullException.ThrowIfNull(files);
        _files = [.. files.Select(Path.GetFullPath)];
        _running = running;
        _rules = rules;
        _logger = logger;
        _debounce = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Registers the reloader of <paramref name="files"/> (what <c>serve</c> was started with).</summary>
    public static void Register(IServiceCollection services, IReadOnlyList<string> files, PortalOptions running)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(sp => new ConfigReloader(files, running, sp.GetRequiredService<AccessRules>(), sp.GetRequiredService<ILogger<ConfigReloader>>()));
        services.AddHostedService(sp => sp.GetRequiredService<ConfigReloader>());
    }

    /// <summary>
    /// A gateway serves <c>gateway.routes</c> in this process: later reloads hand it changed routes
    /// (<paramref name="replaceRoutes"/> swaps them). Without one, a change of routes needs a restart.
    /// </summary>
    public void AttachGateway(Action<GatewayOptions> replaceRoutes)
    {
        lock (_lock)
        {
            _replaceGatewayRoutes = replaceRoutes;
        }
    }

    /// <summary>The outcome of the last reload, for <c>/api/health</c>.</summary>
    public ConfigReloadStatus Status => Volatile.Read(ref _status);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var directory in _files.GroupBy(Path.GetDirectoryName))
        {
            var watcher = new FileSystemWatcher(directory.Key!)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            var names = directory.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            // Editors and config management often replace the file (write a temporary, rename over): watch names too.
            FileSystemEventHandler changed = (_, e) =>
            {
                if (names.Contains(e.Name ?? ""))
                {
                    Trigger();
                }
            };
            watcher.Changed += changed;
            watcher.Created += changed;
            watcher.Renamed += (_, e) =>
            {
                if (names.Contains(e.Name ?? ""))
                {
                    Trigger();
                }
            };
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
        if (!OperatingSystem.IsWindows())
        {
            _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                // Handled: SIGHUP means "reload" here, never "terminate".
                context.Cancel = true;
                LogSignal(_logger);
                Trigger();
            });
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _hangup?.Dispose();
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
        _watchers.Clear();
        _debounce.Dispose();
    }

    private void Trigger() => _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);

    /// <summary>Loads and validates the files now and applies the access rules if they are valid.</summary>
    public ConfigReloadStatus Reload()
    {
        lock (_lock)
        {
            var loaded = ConfigLoader.Load(_files, ConfigLoader.ProcessEnvironment());
            if (!loaded.IsValid)
            {
                var errors = loaded.Diagnostics.Errors.Select(e => e.ToString()).ToList();
                foreach (var error in errors)
                {
                    LogInvalid(_logger, error);
                }
                LogKept(_logger, errors.Count);
                return Publish(new ConfigReloadStatus(DateTimeOffset.UtcNow, Succeeded: false, errors.Count));
            }
            var next = loaded.Options;
            if (Json(next.AccessControl) != Json(_running.AccessControl) || Json(next.Definitions) != Json(_running.Definitions))
            {
                _rules.Replace(AccessControlEngine.Compile(next.AccessControl, next.Definitions));
                LogRuleChanges(next.AccessControl);
            }
            else
            {
                LogUnchanged(_logger);
            }
            _running = _running with { AccessControl = next.AccessControl, Definitions = next.Definitions };
            // After the rules: a route that comes with a rule for it is never forwarded under the old rules.
            if (_replaceGatewayRoutes is { } replaceRoutes && Json(next.Gateway.Routes) != Json(_running.Gateway.Routes)
                && Json(next.Gateway with { Routes = [] }) == Json(_running.Gateway with { Routes = [] }))
            {
                try
                {
                    replaceRoutes(next.Gateway);
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException)
                {
                    // Validation passed, so this is a bug; the old routes stay and the reload is reported as failed.
                    LogRoutesFailed(_logger, e);
                    return Publish(new ConfigReloadStatus(DateTimeOffset.UtcNow, Succeeded: false, 1));
                }
                LogRoutesApplied(_logger, next.Gateway.Routes.Count);
                _running = _running with { Gateway = next.Gateway };
            }
            foreach (var section in NeedRestart(next))
            {
                LogNeedsRestart(_logger, section);
            }
            return Publish(new ConfigReloadStatus(DateTimeOffset.UtcNow, Succeeded: true, 0));
        }
    }

    private ConfigReloadStatus Publish(ConfigReloadStatus status)
    {
        Volatile.Write(ref _status, status);
        return status;
    }

    private void LogRuleChanges(AccessControlOptions next)
    {
        var before = _running.AccessControl;
        if (before.DefaultPolicy != next.DefaultPolicy)
        {
            LogDefaultPolicy(_logger, before.DefaultPolicy, next.DefaultPolicy);
        }
        var old = before.Rules.Select(Json).ToList();
        var now = next.Rules.Select(Json).ToList();
        var added = now.Where(r => !old.Contains(r)).ToList();
        var removed = old.Where(r => !now.Contains(r)).ToList();
        foreach (var rule in removed)
        {
            LogRuleRemoved(_logger, rule);
        }
        foreach (var rule in added)
        {
            LogRuleAdded(_logger, rule);
        }
        LogApplied(_logger, next.Rules.Count, added.Count, removed.Count);
    }

    /// <summary>Top-level sections other than the rules that differ from what the portal runs with.</summary>
    private IEnumerable<string> NeedRestart(PortalOptions next) =>
        typeof(PortalOptions).GetProperties()
            .Where(p => p.Name is not (nameof(PortalOptions.AccessControl) or nameof(PortalOptions.Definitions)) && p.GetIndexParameters().Length == 0)
            .Where(p => Json(p.GetValue(next)) != Json(p.GetValue(_running)))
            .Select(p => ConfigBinder.KeyOf(p));

    private static string Json(object? value) => value is null ? "null" : JsonSerializer.Serialize(value, value.GetType(), Canonical);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Configuration reload requested by SIGHUP")]
    private static partial void LogSignal(ILogger logger);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Error, Message = "Configuration reload: {Error}")]
    private static partial void LogInvalid(ILogger logger, string error);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "Configuration reload failed with {Count} error(s); the running access rules and gateway routes stay in force")]
    private static partial void LogKept(ILogger logger, int count);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Access rules reloaded: {Rules} rule(s), {Added} added, {Removed} removed")]
    private static partial void LogApplied(ILogger logger, int rules, int added, int removed);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Access rule added: {Rule}")]
    private static partial void LogRuleAdded(ILogger logger, string rule);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Information, Message = "Access rule removed: {Rule}")]
    private static partial void LogRuleRemoved(ILogger logger, string rule);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Information, Message = "access_control.default_policy changed from {Before} to {After}")]
    private static partial void LogDefaultPolicy(ILogger logger, string before, string after);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Warning, Message = "Configuration reload: '{Section}' changed but only takes effect after a restart")]
    private static partial void LogNeedsRestart(ILogger logger, string section);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Information, Message = "Configuration reloaded: the access rules are unchanged")]
    private static partial void LogUnchanged(ILogger logger);

    [LoggerMessage(EventId = 1019, Level = LogLevel.Information, Message = "Gateway routes reloaded: {Routes} route(s)")]
    private static partial void LogRoutesApplied(ILogger logger, int routes);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Error, Message = "Configuration reload: the gateway refused the new routes; the running routes stay")]
    private static partial void LogRoutesFailed(ILogger logger, Exception exception);
}
