using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Infrastructure;
using Portal.Session;
using Portal.Storage;
using Portal.Tests.Support;

namespace Portal.Tests.Architecture;

/// <summary>
/// The endpoint pattern (docs/ARCHITECTURE.md, "An endpoint"): API endpoints sit in a group whose
/// <see cref="OutageFilter"/> answers outages, no handler catches an outage itself, a handler that takes a
/// <see cref="PortalSession"/> has a <c>RequireSession</c> to fill it, and handlers return typed results.
/// </summary>
public sealed class EndpointPatternTests
{
    /// <summary>Who may catch a session-store or storage exception, and why.</summary>
    private static readonly string[] OutageCatchers =
    [
        // The API endpoints' one answer to an outage.
        "Portal.Infrastructure.OutageFilter",
        // Forward-auth's own orchestration (hot path, no filter): it fails closed, 503 unless the rule is a bypass.
        "Portal.ForwardAuth.SessionCookieAuthenticator",
        // Startup: an unusable database stops the portal with its message.
        "Portal.Infrastructure.PortalApp",
        // Commands, not endpoints: they print the outage and exit 1.
        "Portal.Cli.SessionsCommands",
        "Portal.Cli.StorageCommands",
        // validate-config: a database it cannot reach is a configuration error with its YAML path.
        "Portal.Storage.StorageValidator",
        // Its background refresh of a cached session, with no request to answer: the copy expires on time instead.
        "Portal.Session.RedisSessionStore",
        // Reacts to a users-file reload, with no request to answer: it logs the outage.
        "Portal.UserSessions.CredentialChangeSignOut",
    ];

    [Fact]
    public void No_handler_catches_a_session_store_or_storage_outage_itself()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        // Async handlers catch in their compiler-generated state machines: every method of every type, nested ones
        // included, is read, and the catch is charged to the outermost type.
        var catchers = typeof(OutageFilter).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(all).Cast<MethodBase>().Concat(t.GetConstructors(all)))
            .Where(m => m.GetMethodBody()?.ExceptionHandlingClauses.Any(c => c.Flags == ExceptionHandlingClauseOptions.Clause && IsOutage(c.CatchType)) == true)
            .Select(m => Outermost(m.DeclaringType!).FullName!)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Contains("Portal.Infrastructure.OutageFilter", catchers);
        Assert.Empty(catchers.Except(OutageCatchers));
    }

    [Fact]
    public async Task Every_api_endpoint_is_in_a_group_that_answers_outages_and_every_session_parameter_has_its_filter()
    {
        var endpoints = await EndpointsAsync();
        var api = endpoints.Where(e => e.Pattern.StartsWith("/api/", StringComparison.Ordinal)
            && e.Pattern is not ("/api/health" or "/api/{**rest}") && !e.Pattern.StartsWith("/api/authz/", StringComparison.Ordinal) && e.Pattern != "/api/verify"
            && !e.Pattern.StartsWith("/api/verify/", StringComparison.Ordinal)).ToList();

        Assert.True(api.Count >= 20, $"only {api.Count} API endpoints found");
        Assert.Empty(api.Where(e => e.Endpoint.Metadata.GetMetadata<OutageFilter>() is null).Select(e => e.Name));
        Assert.Empty(endpoints.Where(e => e.Handler is { } h && h.GetParameters().Any(p => p.ParameterType == typeof(PortalSession))
            && e.Endpoint.Metadata.GetMetadata<SessionRequirement>() is null).Select(e => e.Name));
    }

    [Fact]
    public async Task Api_handlers_declare_typed_results_rather_than_IResult()
    {
        var endpoints = await EndpointsAsync();
        var untyped = endpoints
            .Where(e => e.Endpoint.Metadata.GetMetadata<OutageFilter>() is not null)
            .Where(e => e.Handler is not { } h || Unwrapped(h.ReturnType) is var t && (t == typeof(IResult) || t == typeof(object) || !typeof(IResult).IsAssignableFrom(t)))
            .Select(e => e.Name);

        Assert.Empty(untyped);
    }

    private static bool IsOutage(Type? caught) =>
        caught is not null && (typeof(StorageException).IsAssignableFrom(caught) || typeof(SessionStoreUnavailableException).IsAssignableFrom(caught));

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    private static Type Unwrapped(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? type.GetGenericArguments()[0]
            : type;

    private sealed record MappedEndpoint(RouteEndpoint Endpoint, string Pattern, MethodInfo? Handler)
    {
        public string Name => $"{Endpoint.DisplayName} ({Handler?.DeclaringType?.Name}.{Handler?.Name})";
    }

    /// <summary>Every endpoint of a portal with passkey sign-in on (so its endpoints are mapped too).</summary>
    private static async Task<List<MappedEndpoint>> EndpointsAsync()
    {
        await using var host = await PortalTestHost.StartAsync("""
            webauthn:
              enable_passkey_login: true
            """);
        return ((IEndpointRouteBuilder)host.App).DataSources
            .SelectMany(d => d.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(e => new MappedEndpoint(e, e.RoutePattern.RawText ?? "", e.Metadata.GetMetadata<MethodInfo>()))
            .ToList();
    }
}
