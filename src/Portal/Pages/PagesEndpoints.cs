using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Portal.FirstFactor;

namespace Portal.Pages;

/// <summary>
/// The portal's pages, embedded in the executable so the portal serves them with no external network and no
/// files to deploy (air-gapped homelabs). Unknown non-API paths get the login page, as a single-page app would.
/// </summary>
internal static partial class PagesEndpoints
{
    private static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Files = Load();

    public static IEndpointRouteBuilder MapPagesEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/static/{file}", Static);
        // The pages that carry a target on to the sign-in flow.
        foreach (var (path, file) in (ReadOnlySpan<(string, string)>)[("/", "index.html"), ("/second-factor", "second-factor.html"),
            ("/settings", "settings.html"), ("/forbidden", "forbidden.html")])
        {
            app.MapGet(path, (HttpContext context, SafeRedirect safe, ILogger<PageRequest> logger) => Page(context, safe, logger, file));
        }
        // The link in the one-time-code email. A page with a button, not a GET that revokes: mail scanners fetch links.
        app.MapGet("/revoke/one-time-code", () => Page("revoke.html"));
        // The password reset: asking for a link, and the emailed link (its token in the query, used only by a POST).
        app.MapGet("/reset-password/step1", () => Page("reset-password.html"));
        app.MapGet("/reset-password/step2", () => Page("reset-password.html"));
        app.MapFallback(() => Page("index.html"));
        return app;
    }

    private static Results<FileContentHttpResult, NotFound> Static(string file) =>
        Files.TryGetValue(file, out var f) ? TypedResults.Bytes(f.Content, f.ContentType) : TypedResults.NotFound();

    private static FileContentHttpResult Page(string file) => TypedResults.Bytes(Files[file].Content, "text/html; charset=utf-8");

    /// <summary>
    /// A page that carries the target on to the sign-in flow (<c>rd</c>, or settings' <c>next</c>): with a target the
    /// portal would never redirect to, the bad-link page (400) instead, so nobody signs in only to be left stranded,
    /// and a crafted link is visibly refused rather than silently ignored.
    /// </summary>
    private static Results<FileContentHttpResult, ContentHttpResult> Page(HttpContext context, SafeRedirect safe, ILogger logger, string file)
    {
        var query = context.Request.Query;
        foreach (var key in (string[])["rd", "next"])
        {
            if (!query.TryGetValue(key, out var values) || values is [""])
            {
                continue;
            }
            var value = values.ToString();
            // settings' "next" may also be the portal's own second-factor page.
            var ownPage = key == "next" && (value == "second-factor" || value.StartsWith("second-factor?", StringComparison.Ordinal));
            if (values.Count != 1 || !(ownPage || safe.IsSafe(value)))
            {
                LogBadTarget(logger, key, value.Length > 256 ? value[..256] : value);
                return TypedResults.Content(System.Text.Encoding.UTF8.GetString(Files["bad-link.html"].Content), "text/html; charset=utf-8",
                    System.Text.Encoding.UTF8, StatusCodes.Status400BadRequest);
            }
        }
        return Page(file);
    }

    [LoggerMessage(EventId = 1800, Level = LogLevel.Warning, Message = "Page request refused: its {Parameter} target {Target} is not under a session cookie domain or not https")]
    private static partial void LogBadTarget(ILogger logger, string parameter, string target);

    /// <summary>Log category for page requests.</summary>
    internal sealed class PageRequest;

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
