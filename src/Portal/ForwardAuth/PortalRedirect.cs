using System.Text.Encodings.Web;

namespace Portal.ForwardAuth;

/// <summary>Builds the portal URL a user is sent to: <c>&lt;portal&gt;?rd=&lt;target&gt;&amp;rm=&lt;method&gt;</c>.</summary>
internal static class PortalRedirect
{
    public static string Build(Uri portalUrl, string targetUrl, string method)
    {
        ArgumentNullException.ThrowIfNull(portalUrl);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(portalUrl.Query);
        var pairs = query.SelectMany(kv => kv.Value.Select(v => (Key: kv.Key, Value: v ?? "")))
            .Where(p => p.Key is not ("rd" or "rm"))
            .Append((Key: "rd", Value: targetUrl))
            .Append((Key: "rm", Value: method))
            // Sorted by key like Go's url.Values.Encode, so URLs match Authelia's byte for byte.
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}");
        var path = portalUrl.AbsolutePath.Length == 0 ? "/" : portalUrl.AbsolutePath;
        var authority = portalUrl.GetLeftPart(UriPartial.Authority);
        return $"{authority}{path}?{string.Join('&', pairs)}";
    }
}
