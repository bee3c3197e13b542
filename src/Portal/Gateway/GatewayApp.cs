using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.ForwardAuth;
using Portal.Configuration;
using Portal.Infrastructure;
using Serilog;
using ILogger = Microsoft.Extensions.Logging.ILogger;
using Yarp.ReverseProxy.Transforms;

namespace Portal.Gateway;

/// <summary>
/// Builds the gateway: its own Kestrel listener and a YARP pipeline whose first step is the decision. It is a web
/// application of its own (not extra endpoints on the portal) so that no portal endpoint is reachable through the
/// gateway's socket unless a route sends it there.
/// </summary>
internal static partial class GatewayApp
{
    /// <summary><c>portal serve</c>: decisions are direct calls into the portal's authz handler; logs go to the portal's loggers.</summary>
    public static WebApplication BuildInProcess(PortalOptions options, IServiceProvider portalServices, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(portalServices);
        var decider = new InProcessGatewayDecider(portalServices.GetRequiredService<AuthzHandler>());
        // The portal's instruments, so that its metrics listener exports the gateway's counts too.
        return Build(options, decider, portalServices.GetRequiredService<ILoggerFactory>(), configure, portalServices.GetService<GatewayMetrics>());
    }

    /// <summary><c>portal gateway</c>: decisions come from the portal at <c>gateway.portal_url</c>.</summary>
    public static WebApplication BuildRemote(PortalOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var decider = new RemoteGatewayDecider(new Uri(options.Gateway.PortalUrl), PortalTimeout);
        return Build(options, decider, null, builder =>
        {
            builder.Services.AddSingleton(decider);
            configure?.Invoke(builder);
        });
    }

    /// <summary>How long a remote portal may take to decide before the request fails closed.</summary>
    internal static readonly TimeSpan PortalTimeout = TimeSpan.FromSeconds(10);

    /// <param name="metrics">the instruments to count on; the gateway's own (exported by nobody) when null</param>
    public static WebApplication Build(PortalOptions options, IGatewayDecider decider, ILoggerFactory? sharedLogging, Action<WebApplicationBuilder>? configure = null,
        GatewayMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(decider);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        if (sharedLogging is null)
        {
            builder.Services.AddSerilog((_, config) => Logging.Configure(config, options.Log), preserveStaticLogger: true);
        }
        else
        {
            // One process, one set of log sinks: two Serilog pipelines would fight over the same log file.
            builder.Logging.ClearProviders();
            builder.Services.Replace(ServiceDescriptor.Singleton(sharedLogging));
        }

        var listener = GatewayListener.From(options.Gateway);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            listener.Configure(kestrel);
        });

        var routes = GatewayRoutes.From(options.Gateway);
        var sessionCookieNames = SessionCookieNames(options);
        builder.Services.AddSingleton(listener);
        builder.Services.AddSingleton(decider);
        builder.Services.AddSingleton(new GatewayTrustedProxies(TrustedProxies.From(options.Gateway.TrustedProxies)));
        builder.Services.AddSingleton(new GatewayHsts(SecurityHeaders.StrictTransportSecurity(options.Server.Hsts)));
        builder.Services.AddSingleton<GatewayDecisionMiddleware>();
        if (metrics is null)
        {
            builder.Services.AddSingleton<GatewayMetrics>();
        }
        else
        {
            builder.Services.AddSingleton(metrics);
        }
        builder.Services.AddReverseProxy()
            .LoadFromMemory(routes.Routes, routes.Clusters)
            .AddTransforms(transforms =>
            {
                // YARP's defaults would append to client-sent X-Forwarded-* values; the gateway writes its own.
                transforms.UseDefaultForwarders = false;
                // Apps build links and check CSRF origins from Host; X-Forwarded-Host says the same.
                transforms.AddOriginalHost(true);
                transforms.AddRequestTransform(t => GatewayHeaders.ApplyAsync(t, sessionCookieNames));
            });

        configure?.Invoke(builder);
        var app = builder.Build();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.Gateway");
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                // Whatever went wrong, nothing was forwarded on this path: say so rather than leave a 500 with no body.
                // The raw header: reading Request.Host can itself throw (an invalid punycode label).
                LogFailure(logger, e, context.Request.Headers.Host.ToString(), context.Request.Path.Value ?? "");
                if (!context.Response.HasStarted)
                {
                    await GatewayPages.UnavailableAsync(context);
                }
            }
        });
        // Before routing, which reads Request.Host to match a route's hosts.
        app.UseHostHeaderCheck(context => GatewayPages.BadRequestAsync(context, "The address's host name is not a valid internationalised domain name."));
        app.UseRouting();
        app.Use((context, next) => context.GetEndpoint() is null ? GatewayPages.NotFoundAsync(context) : next(context));
        var decision = app.Services.GetRequiredService<GatewayDecisionMiddleware>();
        var counts = app.Services.GetRequiredService<GatewayMetrics>();
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(async (context, next) =>
            {
                await decision.InvokeAsync(context, next);
                // YARP leaves a bare 502/504 when the upstream fails before answering: that answer is the gateway's own.
                if (context.GetForwarderErrorFeature() is not null && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
                {
                    var status = context.Response.StatusCode is 504 ? 504 : 502;
                    counts.UpstreamFailed(status);
                    await GatewayPages.UpstreamFailedAsync(context, status);
                }
            });
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }

    /// <summary>
    /// Replaces a running gateway's routes with <paramref name="options"/>' (already validated): YARP swaps its route
    /// table in one step, so each request is matched against the old routes or the new, never a mix; a request already
    /// matched finishes on its route.
    /// </summary>
    public static void ReplaceRoutes(WebApplication gateway, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var routes = GatewayRoutes.From(options);
        gateway.Services.GetRequiredService<Yarp.ReverseProxy.Configuration.InMemoryConfigProvider>().Update(routes.Routes, routes.Clusters);
    }

    /// <summary>Every name the portal's session cookie can have: <c>session.name</c> and each <c>session.cookies[].name</c>.</summary>
    internal static IReadOnlySet<string> SessionCookieNames(PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { options.Session.Name };
        foreach (var cookie in options.Session.Cookies)
        {
            if (!string.IsNullOrEmpty(cookie.Name))
            {
                names.Add(cookie.Name);
            }
        }
        return names;
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Gateway request to {Host}{Path} failed; nothing was forwarded")]
    private static partial void LogFailure(ILogger logger, Exception exception, string host, string path);
}
