using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Support;

/// <summary>One request as the upstream saw it.</summary>
/// <param name="RawTarget">the request line's target, byte for byte as it arrived</param>
internal sealed record UpstreamRequest(string Method, string Host, string PathAndQuery, IReadOnlyDictionary<string, string[]> Headers, string RawTarget = "")
{
    /// <summary>All values of a header (case-insensitive name), or empty.</summary>
    public string[] Values(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value ?? [];

    public string? Single(string name) => Values(name) is [var v] ? v : null;

    /// <summary>Header names containing <paramref name="fragment"/> once '-' and '_' are ignored (e.g. "remoteuser").</summary>
    public IEnumerable<string> NamesLike(string fragment) =>
        Headers.Keys.Where(k => k.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)
            .Contains(fragment, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The protected app behind a proxy in tests: a real Kestrel on 127.0.0.1 (ephemeral port) that answers 200 with the
/// request it saw as JSON and records every request, so a test can prove what did, or did not, reach the upstream.
/// </summary>
internal sealed class EchoUpstream : IAsyncDisposable
{
    public const string Marker = "upstream-was-reached";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<UpstreamRequest> _requests = new();

    private EchoUpstream(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;
    public int Port => BaseAddress.Port;

    public IReadOnlyList<UpstreamRequest> Requests => [.. _requests];

    public void Clear() => _requests.Clear();

    public static async Task<EchoUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var upstream = new EchoUpstream(app);
        app.Run(async context =>
        {
            var seen = new UpstreamRequest(
                context.Request.Method,
                context.Request.Host.Value ?? "",
                context.Request.Path.Value + context.Request.QueryString.Value,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase),
                context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "");
            upstream._requests.Enqueue(seen);
            context.Response.ContentType = "application/json";
            context.Response.Headers["X-Upstream"] = Marker;
            await context.Response.WriteAsync(JsonSerializer.Serialize(seen));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        upstream.BaseAddress = new Uri(address);
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
