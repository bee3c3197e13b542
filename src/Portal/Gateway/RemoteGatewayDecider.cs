using System.Globalization;
using System.Net;
using System.Text;
using Portal.ForwardAuth;

namespace Portal.Gateway;

/// <summary>
/// <c>portal gateway</c>: asks a remote portal over <c>/api/authz/forward-auth</c>, as Traefik or Caddy would, and
/// turns its answer back into the reply the in-process decider would have produced. Any answer that is not one of the
/// portal's decision statuses, and any transport failure, is <see cref="PortalUnreachableException"/>.
/// </summary>
internal sealed class RemoteGatewayDecider : IGatewayDecider, IDisposable
{
    /// <summary>Statuses the forward-auth endpoint answers with; anything else (a 404 from a wrong URL, a 500) is not a decision.</summary>
    private static readonly HashSet<int> DecisionStatuses = [200, 302, 303, 400, 401, 403, 503];
    private static readonly string[] IdentityHeaders = ["Remote-User", "Remote-Groups", "Remote-Email", "Remote-Name"];
    private static readonly string[] RefusalHeaders = ["Location", "WWW-Authenticate"];
    private const int MaxBody = 16 * 1024;

    private readonly HttpClient _client;
    private readonly Uri _endpoint;

    public RemoteGatewayDecider(Uri portalUrl, TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(portalUrl);
        var basePath = portalUrl.AbsoluteUri.EndsWith('/') ? portalUrl : new Uri(portalUrl.AbsoluteUri + "/");
        _endpoint = new Uri(basePath, "api/authz/" + ForwardAuthEndpoint);
        handler ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = timeout,
            // Remote-Name is UTF-8 (José); Latin-1 would garble it.
            ResponseHeaderEncodingSelector = (_, _) => Encoding.UTF8,
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        };
        _client = new HttpClient(handler) { Timeout = timeout };
    }

    public Uri Endpoint => _endpoint;

    public async Task<AuthzReply> DecideAsync(GatewayQuestion question, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(question);
        using var request = new HttpRequestMessage(HttpMethod.Get, _endpoint);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", question.Target.Scheme);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", question.RawHost);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Uri", question.ForwardedPathAndQuery);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Method", question.Target.Method);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", question.ClientIp.ToString());
        foreach (var (name, values) in question.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }

        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw new PortalUnreachableException($"cannot reach the portal at {_endpoint}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new PortalUnreachableException($"the portal at {_endpoint} did not answer within {_client.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", e);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (!DecisionStatuses.Contains(status) || !IsForwardAuthDecision(response))
            {
                throw new PortalUnreachableException($"the portal at {_endpoint} answered {status} without a forward-auth decision (is gateway.portal_url right?)");
            }
            var headers = new List<KeyValuePair<string, string>>();
            foreach (var name in status == 200 ? IdentityHeaders : RefusalHeaders)
            {
                if (response.Headers.TryGetValues(name, out var values))
                {
                    // One value each: a repeated identity header is ambiguous, and the portal never sends one.
                    var list = values.ToList();
                    if (list.Count != 1)
                    {
                        throw new PortalUnreachableException($"the portal sent {name} {list.Count} times");
                    }
                    headers.Add(new(name, list[0]));
                }
            }
            if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
            {
                headers.AddRange(cookies.Select(c => new KeyValuePair<string, string>("Set-Cookie", c)));
            }
            if (status == 200)
            {
                return new AuthzReply(200, headers, null, null);
            }
            var body = await ReadBodyAsync(response, ct);
            return new AuthzReply(status, headers, body, response.Content.Headers.ContentType?.ToString());
        }
    }

    /// <summary>
    /// Only the forward-auth endpoint itself marks its answers; a sign-in page or any other 200 from a wrong
    /// <c>gateway.portal_url</c> is not a decision.
    /// </summary>
    private static bool IsForwardAuthDecision(HttpResponseMessage response) =>
        response.Headers.TryGetValues(AuthzHandler.DecisionHeader, out var values)
        && values.ToList() is [var value]
        && value == ForwardAuthEndpoint;

    /// <summary>The endpoint the gateway asks, as Authelia names it (<c>server.endpoints.authz.forward-auth</c>).</summary>
    private const string ForwardAuthEndpoint = "forward-auth";

    /// <summary>
    /// Asks the endpoint once, with no target, to check at start that <c>gateway.portal_url</c> leads to a portal's
    /// forward-auth endpoint. Null when it does; otherwise what is wrong. An unreachable portal is not an error here
    /// (it may start later; requests fail closed meanwhile).
    /// </summary>
    public async Task<string?> ProbeAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _endpoint);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
        using (response)
        {
            return IsForwardAuthDecision(response)
                ? null
                : $"{_endpoint} answered {(int)response.StatusCode} but is not a portal's forward-auth endpoint; check gateway.portal_url";
        }
    }

    private static async Task<string?> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[MaxBody];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0)
        {
            read += n;
        }
        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }

    public void Dispose() => _client.Dispose();
}
