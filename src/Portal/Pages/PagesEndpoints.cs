using System.Collections.Frozen;
using System.Reflection;

namespace Portal.Pages;

/// <summary>
/// The portal's pages, embedded in the executable so the portal serves them with no external network and no
/// files to deploy (air-gapped homelabs). Unknown non-API paths get the login page, as a single-page app would.
/// </summary>
internal static class PagesEndpoints
{
    private static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Files = Load();

    public static IEndpointRouteBuilder MapLoginPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/static/{file}", (string file) =>
            Files.TryGetValue(file, out var f) ? Results.Bytes(f.Content, f.ContentType) : Results.NotFound());
        app.MapGet("/", IndexPage);
        app.MapGet("/second-factor", () => Page("second-factor.html"));
        app.MapGet("/settings", () => Page("settings.html"));
        // The link in the one-time-code email. A page with a button, not a GET that revokes: mail scanners fetch links.
        app.MapGet("/revoke/one-time-code", () => Page("revoke.html"));
        app.MapFallback(IndexPage);
        return app;
    }

    private static IResult IndexPage() => Page("index.html");

    private static IResult Page(string file) => Results.Bytes(Files[file].Content, "text/html; charset=utf-8");

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string Prefix = "wwwroot/";
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var file = name[Prefix.Length..];
            files[file] = (buffer.ToArray(), ContentType(file));
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
