using System.Net;
using System.Text;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Storage;

/// <summary>
/// A browser in front of an <see cref="NginxCluster"/>: one session cookie (replaced whenever the portal sets a new
/// one), every request through nginx, to whichever node nginx picks or to a chosen one.
/// </summary>
internal sealed class ClusterBrowser(NginxCluster cluster)
{
    public string? Cookie { get; private set; }

    /// <summary>A call to <c>https://auth.example.com</c>; <paramref name="on"/> makes that node answer it.</summary>
    /// <param name="json">a JSON text, or an object to serialize</param>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? json = null, NodeTag? on = null)
    {
        using var request = new HttpRequestMessage(method, new Uri("https://auth.example.com" + path));
        if (Cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={Cookie}");
        }
        if (json is not null)
        {
            request.Content = new StringContent(json as string ?? JsonSerializer.Serialize(json), Encoding.UTF8, "application/json");
        }
        var response = on is null ? await cluster.Client.SendAsync(request) : await cluster.SendToAsync(on, request);
        if (PortalTestHost.SessionCookie(response) is { Length: > 0 } set)
        {
            Cookie = set;
        }
        return response;
    }

    /// <summary>A page of the protected app at <paramref name="url"/>, as a browser asks for it (nginx asks a node first).</summary>
    public async Task<HttpResponseMessage> OpenAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url));
        request.Headers.Accept.ParseAdd("text/html");
        if (Cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={Cookie}");
        }
        return await cluster.Client.SendAsync(request);
    }

    /// <summary>POST /api/firstfactor; returns the status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SignInAsync(string username, NodeTag? on = null)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/firstfactor", new { username, password = PortalTestHost.Password }, on);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The <c>data</c> of a 200 answer (the <c>publicKey</c> options of a ceremony's begin); fails the test otherwise.</summary>
    public static async Task<JsonElement> DataAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("data").Clone();
    }
}
