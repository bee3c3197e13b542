using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Tests.Storage;

/// <summary>
/// Test-only middleware for one portal node of several behind a proxy: it names the node in an
/// <see cref="Header"/> response header, so a test sees which node answered a request that went through nginx, and
/// counts the forward-auth requests the node decided (nginx passes none of their headers on to the client).
/// </summary>
internal sealed class NodeTag(string name) : IStartupFilter
{
    public const string Header = "X-Test-Portal-Node";

    private int _forwardAuthDecisions;

    public string Name { get; } = name;

    /// <summary>Requests to <c>/api/authz/*</c> this node has taken.</summary>
    public int ForwardAuthDecisions => Volatile.Read(ref _forwardAuthDecisions);

    /// <summary>The node that answered <paramref name="response"/>, or null when no tagged node did (nginx itself).</summary>
    public static string? Of(HttpResponseMessage response) =>
        response.Headers.TryGetValues(Header, out var values) ? values.Single() : null;

    /// <summary>For <see cref="Support.PortalTestHost.StartAsync"/>'s <c>configure</c>.</summary>
    public void AddTo(WebApplicationBuilder builder) => builder.Services.AddSingleton<IStartupFilter>(this);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            // Set before the portal runs, so every answer carries it, the portal's error answers included.
            context.Response.Headers[Header] = Name;
            if (context.Request.Path.StartsWithSegments("/api/authz", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _forwardAuthDecisions);
            }
            return nextMiddleware(context);
        });
        next(app);
    };
}
