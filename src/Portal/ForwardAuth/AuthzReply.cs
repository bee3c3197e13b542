using System.Text.Encodings.Web;

namespace Portal.ForwardAuth;

/// <summary>A finished answer to a forward-auth call: status, headers, body. Built without touching HttpContext.</summary>
internal sealed record AuthzReply(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body, string? ContentType)
{
    public static AuthzReply Plain(int status, params KeyValuePair<string, string>[] headers) =>
        new(status, headers, $"{status} {ReasonPhrase(status)}", "text/plain; charset=utf-8");

    /// <summary>
    /// The "log in first" answer (Authelia's rules). nginx's <c>auth_request</c> only understands 2xx/401/403, so
    /// AuthRequest always gets 401 with <c>Location</c>; the others get 401 for API clients and a 302/303 redirect for
    /// browsers. <c>Location</c> is set in every case so a proxy can redirect on its own.
    /// </summary>
    public static AuthzReply Unauthorized(AuthzImplementation implementation, string? redirectUrl, string method, string? accept, string? requestedWith)
    {
        if (redirectUrl is null)
        {
            return Plain(401);
        }
        int status;
        if (implementation == AuthzImplementation.AuthRequest || requestedWith == "XMLHttpRequest" || !AcceptsHtml(accept))
        {
            status = 401;
        }
        else
        {
            status = method is "GET" or "HEAD" or "OPTIONS" or "" ? 302 : 303;
        }
        var body = $"<a href=\"{HtmlEncoder.Default.Encode(redirectUrl)}\">{status} {ReasonPhrase(status)}</a>";
        return new AuthzReply(status, [new("Location", redirectUrl)], body, "text/html; charset=utf-8");
    }

    /// <summary>
    /// True when the client would render the portal's login page: <c>text/html</c> anywhere in Accept, or <c>*/*</c>
    /// as its first entry (as Authelia does; <c>fetch()</c> sends <c>*/*</c> alone and gets a 401).
    /// </summary>
    internal static bool AcceptsHtml(string? accept)
    {
        if (string.IsNullOrEmpty(accept))
        {
            return false;
        }
        if (accept.Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var first = accept.Split(',')[0].Split(';')[0].Trim();
        return first == "*/*";
    }

    public static string ReasonPhrase(int status) => status switch
    {
        302 => "Found",
        303 => "See Other",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };

    /// <summary>Writes the reply; HEAD gets headers only.</summary>
    public async Task WriteAsync(HttpResponse response, bool isHead)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = Status;
        foreach (var (name, value) in Headers)
        {
            if (value.Length == 0)
            {
                // Append drops empty values. Authelia sends an empty Remote-Groups for a user without groups, and a
                // proxy that copies only headers present in our reply would otherwise keep the client's own copy.
                response.Headers[name] = value;
            }
            else
            {
                response.Headers.Append(name, value);
            }
        }
        if (ContentType is not null)
        {
            response.ContentType = ContentType;
        }
        if (Body is not null && !isHead)
        {
            await response.WriteAsync(Body);
        }
    }
}
