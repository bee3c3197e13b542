using Portal.Configuration;
using static Portal.Configuration.ConfigChecks;

namespace Portal.Users;

/// <summary>
/// Checks <c>authentication_backend</c>: the users file, its refresh interval and the password hashing parameters.
/// </summary>
internal static class AuthenticationBackendValidator
{
    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        var backend = options.AuthenticationBackend;
        const string Path = "authentication_backend";
        if (backend.File.Path.Length == 0)
        {
            diag.Error($"{Path}.file", "path", "is required (the users database file)");
        }
        if (backend.RefreshInterval is not ("always" or "disable") && !Duration.TryParse(backend.RefreshInterval, out _))
        {
            diag.Error(Path, "refresh_interval", "must be a duration, 'always' or 'disable'");
        }
        var password = backend.File.Password;
        RequireOneOf(diag, $"{Path}.file.password", "algorithm", password.Algorithm, "argon2");
        var argon = password.Argon2;
        const string ArgonPath = $"{Path}.file.password.argon2";
        RequireOneOf(diag, ArgonPath, "variant", argon.Variant, "argon2id", "argon2i", "argon2d");
        RequireRange(diag, ArgonPath, "iterations", argon.Iterations, 1, 1_000);
        RequireRange(diag, ArgonPath, "parallelism", argon.Parallelism, 1, 64);
        RequireRange(diag, ArgonPath, "memory", argon.Memory, Math.Max(8 * argon.Parallelism, 8), 4 * 1024 * 1024);
        RequireRange(diag, ArgonPath, "key_length", argon.KeyLength, 16, 1024);
        RequireRange(diag, ArgonPath, "salt_length", argon.SaltLength, 8, 1024);
    }
}
