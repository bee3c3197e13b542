using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portal.Session;
using Portal.Tests.Support;

namespace Portal.Tests.WebAuthn;

/// <summary>
/// A browser's view of the portal for WebAuthn tests: one session cookie (updated whenever the portal sets a new
/// one), requests to <c>https://auth.example.com</c> as a TLS-terminating proxy would forward them, and the
/// WebAuthn JSON calls the login page makes.
/// </summary>
internal sealed class WebAuthnClient(PortalTestHost host, string portalHost = "auth.example.com")
{
    public const string ForeignIp = "10.9.8.7";

    public PortalTestHost Host { get; } = host;
    public string PortalHost { get; } = portalHost;
    public string Origin => $"https://{PortalHost}";
    public string? Cookie { get; private set; }

    public async Task LoginAsync(string username) => Cookie = await Host.LoginAsync(username, portalHost: PortalHost);

    /// <summary>The same browser (its cookie) talking to another portal node behind the same proxy.</summary>
    public WebAuthnClient OnNode(PortalTestHost node) => new(node, PortalHost) { Cookie = Cookie };

    /// <summary>
    /// Test-only elevation: writes <see cref="UserSession.Elevation"/> straight into the session store. The one call
    /// to replace with the emailed one-time code once the elevation endpoints are merged.
    /// </summary>
    public async Task ElevateAsync(string remoteIp = "127.0.0.1")
    {
        var store = Host.App.Services.GetRequiredService<ISessionStore>();
        var session = await store.LoadAsync(Cookie ?? throw new InvalidOperationException("log in first"), CancellationToken.None)
            ?? throw new InvalidOperationException("no stored session");
        var now = Host.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        session.Elevation = new SessionElevation { Id = Guid.NewGuid().ToString(), RemoteIp = remoteIp, Expires = now.AddMinutes(10) };
        await store.SaveAsync(Cookie, session, TimeSpan.FromHours(1), CancellationToken.None);
    }

    /// <summary>The real thing: a code requested, read from the mail the SMTP test server received, and submitted.</summary>
    public async Task ElevateByEmailAsync() =>
        Cookie = await Host.ElevateAsync(Cookie ?? throw new InvalidOperationException("log in first"));

    public async Task LogoutAsync()
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/logout");
        Cookie = null;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = PortalHost;
        request.Headers.Add("X-Forwarded-Proto", "https");
        if (Cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={Cookie}");
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        var response = await Host.Client.SendAsync(request);
        var set = PortalTestHost.SessionCookie(response);
        if (!string.IsNullOrEmpty(set))
        {
            Cookie = set;
        }
        return response;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object body) =>
        SendAsync(method, path, JsonSerializer.Serialize(body));

    /// <summary>PUT register with a name; the <c>publicKey</c> options on 200, else null.</summary>
    public async Task<(HttpStatusCode Status, JsonElement? PublicKey, string Body)> BeginRegistrationAsync(string name)
    {
        using var response = await SendAsync(HttpMethod.Put, "/api/secondfactor/webauthn/credential/register", new { description = name });
        return await PublicKeyOf(response);
    }

    public async Task<(HttpStatusCode Status, string Body)> CompleteRegistrationAsync(string credentialJson)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/secondfactor/webauthn/credential/register", credentialJson);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>PUT then POST; throws unless both succeed.</summary>
    public async Task RegisterAsync(SoftwareAuthenticator authenticator, string name)
    {
        var (status, options, body) = await BeginRegistrationAsync(name);
        Assert.True(status == HttpStatusCode.OK, body);
        var (done, doneBody) = await CompleteRegistrationAsync(authenticator.Create(options!.Value));
        Assert.True(done == HttpStatusCode.Created, doneBody);
    }

    public async Task<(HttpStatusCode Status, JsonElement? PublicKey, string Body)> BeginAssertionAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/secondfactor/webauthn");
        return await PublicKeyOf(response);
    }

    public async Task<(HttpStatusCode Status, string Body)> CompleteAssertionAsync(string credentialJson, string? targetUrl = null)
    {
        using var credential = JsonDocument.Parse(credentialJson);
        using var response = await SendAsync(HttpMethod.Post, "/api/secondfactor/webauthn", new { response = credential.RootElement, targetURL = targetUrl });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET options then POST the authenticator's answer.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SecondFactorAsync(SoftwareAuthenticator authenticator, Tamper? tamper = null, SoftCredential? pick = null)
    {
        var (status, options, body) = await BeginAssertionAsync();
        Assert.True(status == HttpStatusCode.OK, body);
        return await CompleteAssertionAsync(authenticator.Get(options!.Value, tamper, pick));
    }

    public async Task<int> LevelAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/state");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("data").GetProperty("authentication_level").GetInt32();
    }

    public async Task<List<JsonElement>> ListAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/secondfactor/webauthn/credentials");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return [.. json.RootElement.GetProperty("data").EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>
    /// Every WebAuthn row (users and credentials, all columns, ciphertexts included) as text: equal snapshots mean
    /// nothing stored changed.
    /// </summary>
    public string Snapshot()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Host.DirectoryPath, "db.sqlite3")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var text = new StringBuilder();
        foreach (var table in new[] { "webauthn_users", "webauthn_credentials" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table} ORDER BY id;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                text.Append(table).Append(':');
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    text.Append(reader.GetName(i)).Append('=').Append(value is byte[] b ? Convert.ToHexString(b) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append(';');
                }
                text.AppendLine();
            }
        }
        return text.ToString();
    }

    public static JsonElement DataOf(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("data").Clone();
    }

    private static async Task<(HttpStatusCode, JsonElement?, string)> PublicKeyOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, null, body);
        }
        return (response.StatusCode, DataOf(body).GetProperty("publicKey"), body);
    }
}
