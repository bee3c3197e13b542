using Portal.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Configuration;

public sealed class EnvironmentOverridesTests
{
    private static ConfigLoadResult Load(Dictionary<string, string> env) => ConfigLoader.LoadYaml(ConfigLoaderTests.MinimalYaml, env);

    [Fact]
    public void A_variable_overrides_the_file()
    {
        var result = Load(new() { ["PORTAL_LOG_LEVEL"] = "debug", ["PORTAL_SESSION_SECRET"] = "s3cr3t" });
        Assert.Equal("debug", result.Options.Log.Level);
        Assert.Equal("s3cr3t", result.Options.Session.Secret);
    }

    [Fact]
    public void A_file_variable_reads_the_secret_without_its_trailing_newline()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("encryption_key", "from-a-file\n");
        var result = Load(new() { ["PORTAL_STORAGE_ENCRYPTION_KEY_FILE"] = file });
        Assert.Equal("from-a-file", result.Options.Storage.EncryptionKey);
    }

    [Fact]
    public void A_variable_can_create_a_section_the_file_does_not_have()
    {
        var result = Load(new() { ["PORTAL_SESSION_REDIS_HOST"] = "127.0.0.1", ["PORTAL_SESSION_REDIS_PORT"] = "6380" });
        Assert.NotNull(result.Options.Session.Redis);
        Assert.Equal(6380, result.Options.Session.Redis!.Port);
    }

    [Fact]
    public void A_bad_value_from_the_environment_names_the_variable()
    {
        var errors = Load(new() { ["PORTAL_REGULATION_MAX_RETRIES"] = "many" }).Diagnostics.Errors.Select(e => e.ToString());
        Assert.Contains("regulation: option 'max_retries' must be a whole number, not 'many' (environment variable PORTAL_REGULATION_MAX_RETRIES)", errors);
    }

    [Fact]
    public void Setting_both_a_value_and_its_file_is_an_error()
    {
        var result = Load(new() { ["PORTAL_SESSION_SECRET"] = "a", ["PORTAL_SESSION_SECRET_FILE"] = "/tmp/x" });
        Assert.Contains(result.Diagnostics.Errors, e => e.Message.Contains("PORTAL_SESSION_SECRET and PORTAL_SESSION_SECRET_FILE are both set", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unreadable_secret_file_is_an_error()
    {
        var result = Load(new() { ["PORTAL_SESSION_SECRET_FILE"] = "/nonexistent/secret" });
        Assert.Contains(result.Diagnostics.Errors, e => e.Message.StartsWith("environment variable PORTAL_SESSION_SECRET_FILE: cannot read '/nonexistent/secret'", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_portal_variables_warn_and_unrelated_variables_are_ignored()
    {
        var result = Load(new() { ["PORTAL_SESION_SECRET"] = "x", ["HOME"] = "/root", ["PORTAL_CONFIG"] = "a.yml" });
        var warning = Assert.Single(result.Diagnostics.Warnings, w => w.Message.StartsWith("environment variable", StringComparison.Ordinal));
        Assert.Contains("PORTAL_SESION_SECRET", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_single_value_key_has_a_variable()
    {
        Assert.Equal("session.cookies", EnvironmentOverrides.Variables.GetValueOrDefault("PORTAL_SESSION_COOKIES", "session.cookies"));
        Assert.Equal("webauthn.experimental_enable_passkey_uv_two_factors", EnvironmentOverrides.Variables["PORTAL_WEBAUTHN_EXPERIMENTAL_ENABLE_PASSKEY_UV_TWO_FACTORS"]);
        Assert.Equal("identity_validation.elevated_session.code_lifespan", EnvironmentOverrides.Variables["PORTAL_IDENTITY_VALIDATION_ELEVATED_SESSION_CODE_LIFESPAN"]);
        Assert.DoesNotContain("PORTAL_SESSION_COOKIES", EnvironmentOverrides.Variables.Keys);
    }
}
