using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Portal.Users;
using Portal.UserSessions;
using Portal.AccessControl;
using Portal.ForwardAuth;
using Portal.Configuration;
using Portal.Elevation;
using Portal.PasswordReset;
using Portal.RecoveryCodes;
using Portal.FirstFactor;
using Portal.Notification;
using Portal.Pages;
using Portal.Regulation;
using Portal.Session;
using Portal.Storage;
using Portal.Storage.Postgres;
using Portal.Storage.Sqlite;
using Portal.Telemetry;
using Portal.Totp;
using Portal.WebAuthn;
using Serilog;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace Portal.Infrastructure;

/// <summary>
/// Builds the portal web application from validated options. Only composition lives here: each feature registers
/// its services and maps its endpoints.
/// </summary>
internal static partial class PortalApp
{
    /// <summary>Startup failures an admin must fix (unreadable users file, wrong storage key): one clear message, exit 1.</summary>
    internal sealed class StartupException(string message) : Exception(message);

    /// <param name="options">validated options</param>
    /// <param name="configure">test hook: last word on services and host settings</param>
    public static async Task<WebApplication> BuildAsync(PortalOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSerilog((_, config) => Logging.Configure(config, options.Log), preserveStaticLogger: true);
        ConfigureKestrel(builder, options.Server);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(TrustedProxies.From(options.Server.TrustedProxies));
        builder.Services.AddSingleton(new AccessRules(AccessControlEngine.Compile(options.AccessControl, options.Definitions)));
        // Per request (handlers' parameters): the rules in force when the request began, for the whole request.
        builder.Services.AddTransient(sp => sp.GetRequiredService<AccessRules>().Current);
        builder.Services.AddSingleton(new SafeRedirect(
            options.Session.Cookies.Select(c => c.Domain.TrimStart('.').ToLowerInvariant()).ToList(),
            options.Session.Cookies.Select(c => Uri.TryCreate(c.AutheliaUrl, UriKind.Absolute, out var u) && !u.IsDefaultPort ? u.Port : 443).ToHashSet(),
            allowLoopbackHttp: LoopbackHttp.Permitted(options)));
        builder.Services.AddSingleton(sp =>
        {
            var users = sp.GetRequiredService<IUserProvider>();
            return new BasicCredentialCache(sp.GetRequiredService<TimeProvider>(), () => users.Generation);
        });

        // The storage engine (validation made sure exactly one is configured): its database and every store over it.
        if (options.Storage.Postgres is not null)
        {
            builder.Services.AddSingleton(sp => OpenPostgres(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PostgresDatabase>>()));
            builder.Services.AddPostgresStores();
            builder.Services.AddSingleton<IRegulationLock>(_ => new PostgresRegulationLock(options.Storage.Postgres));
        }
        else
        {
            builder.Services.AddSingleton(sp => OpenDatabase(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SqliteDatabase>>()));
            builder.Services.AddSqliteStores();
        }
        builder.Services.AddSingleton(sp => new Regulator(options.Regulation, sp.GetRequiredService<IAuthenticationLogStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<Regulator>>(),
            sp.GetService<IRegulationLock>()));
        builder.Services.AddSingleton<Audit.AuditTrail>();
        builder.Services.AddSingleton<RegulatedCredential>();
        builder.Services.AddSingleton<IUserProvider>(sp => FileUserProvider.TryCreate(options.AuthenticationBackend.File, sp.GetRequiredService<ILogger<FileUserProvider>>(), out var errors)
            ?? throw new StartupException($"authentication_backend: file: cannot load '{options.AuthenticationBackend.File.Path}':{Environment.NewLine}  - {string.Join($"{Environment.NewLine}  - ", errors)}"));

        builder.Services.AddSingleton<ISessionStore>(sp => SessionProvider.CreateStoreAsync(options.Session, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()).GetAwaiter().GetResult());
        builder.Services.AddSingleton(sp => new SessionProvider(options.Session, sp.GetRequiredService<ISessionStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<SessionMetrics>()));
        builder.Services.AddSingleton<PortalSessions>();
        builder.Services.AddSingleton(sp => new CredentialChangeSignOut(options.Session, sp.GetRequiredService<SessionProvider>(),
            sp.GetRequiredService<IUserProvider>(), sp.GetRequiredService<ILogger<CredentialChangeSignOut>>(), sp.GetRequiredService<Audit.AuditTrail>()));
        builder.Services.AddSingleton<AuthzAuthenticators>();
        builder.Services.AddSingleton<AuthzHandler>();
        builder.Services.AddWebAuthn(options);
        builder.Services.AddTotp(options);
        builder.Services.AddNotification(options.Notifier);
        builder.Services.AddSingleton<ElevationLimits>();
        builder.Services.AddSingleton<ElevationGuard>();
        AddMetrics(builder.Services, options.Telemetry.Metrics);
        builder.Services.AddPasswordReset(options);

        configure?.Invoke(builder);
        var app = builder.Build();

        // Resolve the stateful services now so a bad users file, database or key stops startup with its message
        // instead of failing the first request.
        _ = options.Storage.Postgres is null
            ? app.Services.GetRequiredService<SqliteDatabase>()
            : (object)app.Services.GetRequiredService<PostgresDatabase>();
        _ = app.Services.GetRequiredService<IUserProvider>();
        _ = app.Services.GetRequiredService<SessionProvider>();
        // Subscribes to users-file reloads now, not at the first key change.
        _ = app.Services.GetRequiredService<CredentialChangeSignOut>();
        try
        {
            await NotificationServices.CheckAtStartupAsync(app.Services, options.Notifier, CancellationToken.None);
        }
        catch (NotificationException e)
        {
            throw new StartupException(e.Message + " (set notifier.disable_startup_check to start anyway)");
        }

        if (options.Telemetry.Metrics.Enabled)
        {
            // First, so that every answer is counted, whatever step gives it.
            app.Use(app.Services.GetRequiredService<RequestMetrics>().InvokeAsync);
        }
        if (ListenAddress.TryParse(options.Server.Address, out var address, out _) && address.BasePath != "/")
        {
            app.UsePathBase(address.BasePath);
        }
        app.UseSecurityHeaders();
        app.UseHostHeaderCheck(context => Api.Ko(400, "The Host header is not a valid host name.").ExecuteAsync(context));
        app.UseCrossOriginGuard();
        MapEndpoints(app);
        return app;
    }

    /// <summary>The base URLs Kestrel actually bound (resolves port 0), once the app has started.</summary>
    public static IReadOnlyList<string> BoundAddresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var feature = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>();
        return feature?.Addresses.ToList() ?? [];
    }

    /// <summary>
    /// Every feature's instruments (cheap while nothing listens), and with <c>telemetry.metrics.enabled</c> the
    /// listener that exports them.
    /// </summary>
    private static void AddMetrics(IServiceCollection services, MetricsOptions metrics)
    {
        services.AddSingleton<RequestMetrics>();
        services.AddSingleton<AuthzMetrics>();
        services.AddSingleton<AuthenticationMetrics>();
        services.AddSingleton<SessionMetrics>();
        services.AddSingleton<StorageMetrics>();
        services.AddSingleton<Gateway.GatewayMetrics>();
        services.AddSingleton<OneTimeCodeMetrics>();
        if (metrics.Enabled)
        {
            services.AddSingleton(sp => new MetricsListener(metrics, sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<ILoggerFactory>()));
            services.AddHostedService(sp => sp.GetRequiredService<MetricsListener>());
        }
    }

    private static SqliteDatabase OpenDatabase(PortalOptions options, TimeProvider time, ILogger<SqliteDatabase> logger)
    {
        var storage = options.Storage;
        var path = storage.Local?.Path ?? throw new StartupException("storage: local: option 'path' is required");
        var key = storage.EncryptionKey;
        if (string.IsNullOrEmpty(key))
        {
            (key, var created) = GeneratedEncryptionKey.LoadOrCreate(path);
            if (created)
            {
                LogGeneratedKey(logger, GeneratedEncryptionKey.PathFor(path));
            }
        }
        try
        {
            return SqliteDatabase.Open(storage, key, time, logger);
        }
        catch (StorageException e)
        {
            throw new StartupException(e.Message);
        }
    }

    private static PostgresDatabase OpenPostgres(PortalOptions options, TimeProvider time, ILogger<PostgresDatabase> logger)
    {
        try
        {
            return PostgresDatabase.Open(options.Storage, time, logger);
        }
        catch (StorageException e)
        {
            throw new StartupException(e.Message);
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "storage: no encryption_key configured; generated one in {KeyFile}. Back it up with the database.")]
    private static partial void LogGeneratedKey(ILogger logger, string keyFile);

    private static void MapEndpoints(WebApplication app)
    {
        // 200 while the portal serves; a failed configuration reload is reported (the previous rules still apply).
        app.MapMethods("/api/health", ["GET", "HEAD"], (HttpContext context) =>
            context.RequestServices.GetService<ConfigReloader>()?.Status is { Succeeded: false } failed
                ? Results.Ok(new Api.OkBody<HealthData>("OK", new HealthData(failed)))
                : Results.Ok(new Api.OkBody()));
        app.MapForwardAuthEndpoints();
        app.MapFirstFactorEndpoints();
        if (!app.Services.GetRequiredService<PortalOptions>().WebAuthn.Disable)
        {
            app.MapWebAuthnEndpoints();
        }
        if (!app.Services.GetRequiredService<PortalOptions>().Totp.Disable)
        {
            app.MapTotpEndpoints();
        }
        app.MapElevationEndpoints();
        app.MapUserSessionsEndpoints();
        app.MapPasswordResetEndpoints();
        app.MapRecoveryCodeEndpoints();
        app.Map("/api/{**rest}", () => Api.Ko(404, "Not Found"));
        app.MapPagesEndpoints();
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder, ServerOptions server)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.KeepAliveTimeout = server.Timeouts.Idle;
            kestrel.Limits.RequestHeadersTimeout = server.Timeouts.Read;
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
            // Display names are UTF-8 (José); Kestrel would otherwise refuse the Remote-Name header and fail the request.
            kestrel.ResponseHeaderEncodingSelector = _ => Encoding.UTF8;
            if (!ListenAddress.TryParse(server.Address, out var address, out var error))
            {
                throw new StartupException($"server: option 'address' {error}");
            }
            void Listen(ListenOptions listen)
            {
                if (server.Tls.Certificate.Length > 0)
                {
                    listen.UseHttps(X509Certificate2.CreateFromPemFile(server.Tls.Certificate, server.Tls.Key));
                }
            }
            address.ListenOn(kestrel, Listen);
        });
    }
}
