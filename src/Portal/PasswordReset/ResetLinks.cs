using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Buffers.Text;

namespace Portal.PasswordReset;

/// <summary>
/// The emailed reset link's token: a JWT signed with <c>identity_validation.reset_password.jwt_secret</c> (HMAC, the
/// configured <c>jwt_algorithm</c>), as Authelia issues it. Its claims: the user (<c>sub</c>), a random id
/// (<c>jti</c>, recorded when the link is used: single use), <c>iat</c>/<c>exp</c>, the action, and a fingerprint
/// of the password digest it was issued against, so every link dies once the password changes by any route.
/// </summary>
internal sealed class ResetLinks
{
    public const string Action = "ResetPassword";
    public static readonly IReadOnlyList<string> Algorithms = ["HS256", "HS384", "HS512"];

    private readonly ResetPasswordOptions _options;
    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly string _header;

    public ResetLinks(ResetPasswordOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _key = Encoding.UTF8.GetBytes(options.JwtSecret);
        _time = time;
        _header = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = options.JwtAlgorithm, ["typ"] = "JWT" }));
    }

    public TimeSpan Lifespan => _options.JwtLifespan;

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>A new link's token for <paramref name="username"/>, whose current digest is <paramref name="digest"/>.</summary>
    public string Issue(string username, string digest)
    {
        var now = _time.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            ["jti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            ["sub"] = username,
            ["act"] = Action,
            ["pwd"] = Fingerprint(digest),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + _options.JwtLifespan).ToUnixTimeSeconds(),
        };
        var signed = _header + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        return signed + "." + Base64Url.EncodeToString(Sign(signed));
    }

    /// <summary>The link's claims when its signature, algorithm, action and expiry hold; null otherwise (never throws on input).</summary>
    public ResetLink? Verify(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (token.Length > 2048 || parts.Length != 3)
        {
            return null;
        }
        try
        {
            // Only the configured algorithm: a token naming another (or "none") is refused before its signature is read.
            using (var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])))
            {
                if (!header.RootElement.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String
                    || !string.Equals(alg.GetString(), _options.JwtAlgorithm, StringComparison.Ordinal))
                {
                    return null;
                }
            }
            var expected = Sign(parts[0] + "." + parts[1]);
            if (!CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(parts[2])))
            {
                return null;
            }
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var root = payload.RootElement;
            if (String(root, "act") != Action || String(root, "sub") is not { Length: > 0 } sub || String(root, "jti") is not { Length: > 0 } jti
                || String(root, "pwd") is not { } pwd || !root.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expSeconds))
            {
                return null;
            }
            var expires = DateTimeOffset.FromUnixTimeSeconds(expSeconds);
            return expires > _time.GetUtcNow() ? new ResetLink(sub, jti, pwd, expires) : null;
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A short digest of the password digest: enough to tell it changed, nothing to attack it with.</summary>
    public static string Fingerprint(string digest) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(digest)).AsSpan(0, 12).ToArray());

    private byte[] Sign(string signed)
    {
        var data = Encoding.ASCII.GetBytes(signed);
        return _options.JwtAlgorithm switch
        {
            "HS384" => HMACSHA384.HashData(_key, data),
            "HS512" => HMACSHA512.HashData(_key, data),
            _ => HMACSHA256.HashData(_key, data),
        };
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
