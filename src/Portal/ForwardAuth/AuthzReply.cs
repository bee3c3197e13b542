using System.Text.Encodings.Web;

namespace Portal.ForwardAuth;

/// <summary>A finished answer to a forward-auth call: status, headers, body. Built without touching HttpContext.</summary>
internal sealed record AuthzReply(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body, string? ContentType)
{
    public static AuthzReply Plain(int status, params KeyValuePair<string, string>[] headers) =>
        new(status, headers, $"{status} {ReasonPhrase(status)}", "text/plain; charset=utf-8");

    /// <summary>A "log in first" answer with <paramref name="redirectUrl"/> as <c>Location</c> and a bare link as its body.</summary>
    public static AuthzReply LoginLink(int status, string redirectUrl)
    {
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
