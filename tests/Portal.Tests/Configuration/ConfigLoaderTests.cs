using Portal.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    /// <summary>The smallest file the validators accept (sections owned by other features included).</summary>
    internal const string MinimalYaml = """
        authentication_backend:
          file:
            path: users.yml
        session:
          cookies:
            - domain: example.com
              authelia_url: https://auth.example.com/
        storage:
          encryption_key: a-very-long-encryption-key-for-tests
          local:
            path: /tmp/portal-test.sqlite3
        notifier:
          filesystem:
            filename: /tmp/portal-notification.txt
        access_control:
          default_policy: one_factor
        """;

    /// <summary>
    /// Loads <see cref="MinimalYaml"/> with <paramref name="overlayYaml"/> as a second file over it: later files
    /// override earlier ones key by key, as an admin's override file does.
    /// </summary>
    internal static ConfigLoadResult LoadOverMinimal(string overlayYaml)
    {
        using var dir = new TempDirectory();
        return ConfigLoader.Load([dir.Write("base.yml", MinimalYaml), dir.Write("overlay.yml", overlayYaml)]);
    }

    private static IEnumerable<string> Messages(ConfigLoadResult result) => result.Diagnostics.Errors.Select(e => e.ToString());

    [Fact]
    public void Minimal_configuration_loads_without_errors()
    {
        var result = ConfigLoader.LoadYaml(MinimalYaml);
        Assert.True(result.IsValid, string.Join("\n", Messages(result)));
        Assert.Equal("users.yml", result.Options.AuthenticationBackend.File.Path);
        Assert.Equal("https://auth.example.com/", result.Options.Session.Cookies[0].AutheliaUrl);
    }

    [Fact]
    public void Unset_keys_keep_authelia_defaults()
    {
        var options = ConfigLoader.LoadYaml(MinimalYaml).Options;
        Assert.Equal(TimeSpan.FromHours(1), options.Session.Expiration);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Session.Inactivity);
        Assert.Equal("authelia_session", options.Session.Name);
        Assert.Equal(3, options.Regulation.MaxRetries);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Regulation.FindTime);
        Assert.Equal(8, options.IdentityValidation.ElevatedSession.Characters);
        Assert.Equal("preferred", options.WebAuthn.SelectionCriteria.UserVerification);
        Assert.Equal(65536, options.AuthenticationBackend.File.Password.Argon2.Memory);
    }

    [Fact]
    public void Three_mistakes_give_three_errors_each_with_its_path_and_line()
    {
        var yaml = MinimalYaml + """

            log:
              level: verbose
            webauthn:
              timeout: soon
            regulation:
              max_retires: 5
            """;
        var errors = ConfigLoader.LoadYaml(yaml).Diagnostics.Errors.Select(e => e.ToString()).ToList();
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("log: option 'level' must be one of", StringComparison.Ordinal) && e.EndsWith("(line 18)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("webauthn: option 'timeout' must be a duration", StringComparison.Ordinal) && e.EndsWith("(line 20)", StringComparison.Ordinal));
        Assert.Contains("regulation: option 'max_retires' is not a known option — did you mean 'max_retries'? (line 22)", errors);
    }

    [Fact]
    public void Errors_inside_lists_name_the_index()
    {
        var yaml = MinimalYaml.Replace("    - domain: example.com", "    - domian: example.com", StringComparison.Ordinal);
        var errors = Messages(ConfigLoader.LoadYaml(yaml)).ToList();
        Assert.Contains("session: cookies[0]: option 'domian' is not a known option — did you mean 'domain'? (line 6)", errors);
    }

    [Fact]
    public void A_key_far_from_any_known_one_gets_no_suggestion()
    {
        var errors = Messages(ConfigLoader.LoadYaml(MinimalYaml + "\nlog:\n  colourful_output: true\n")).ToList();
        Assert.Contains("log: option 'colourful_output' is not a known option (line 18)", errors);
    }

    [Fact]
    public void A_scalar_stands_for_a_one_element_list()
    {
        var yaml = MinimalYaml.Replace("default_policy: one_factor", "default_policy: deny\n  rules:\n    - domain: app.example.com\n      subject: 'group:admins'\n      policy: one_factor", StringComparison.Ordinal);
        var rule = ConfigLoader.LoadYaml(yaml).Options.AccessControl.Rules.Single();
        Assert.Equal(["app.example.com"], rule.Domain);
        Assert.Equal([["group:admins"]], rule.Subject);
    }

    [Fact]
    public void Subject_accepts_scalars_at_either_level()
    {
        var yaml = MinimalYaml.Replace("default_policy: one_factor", """
            default_policy: deny
              rules:
                - domain: app.example.com
                  policy: one_factor
                  subject:
                    - 'user:john'
                    - ['group:admins', 'group:dev']
            """, StringComparison.Ordinal);
        var rule = ConfigLoader.LoadYaml(yaml).Options.AccessControl.Rules.Single();
        Assert.Equal([["user:john"], ["group:admins", "group:dev"]], rule.Subject);
    }

    [Fact]
    public void A_mapping_where_a_value_belongs_is_a_type_error_not_a_crash()
    {
        var errors = Messages(ConfigLoader.LoadYaml(MinimalYaml + "\nlog:\n  level:\n    nested: true\n")).ToList();
        Assert.Contains(errors, e => e.StartsWith("log: option 'level' must be a single value, not a mapping", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_yaml_is_reported_with_its_line()
    {
        var result = ConfigLoader.LoadYaml("server:\n  address: 'unclosed\nlog: {}\n");
        Assert.False(result.IsValid);
        Assert.Contains(Messages(result), e => e.Contains("invalid YAML at line", StringComparison.Ordinal));
    }

    [Fact]
    public void A_duplicated_section_is_reported_rather_than_silently_merged()
    {
        var result = ConfigLoader.LoadYaml(MinimalYaml + "\nnotifier:\n  filesystem:\n    filename: /tmp/other\n");
        Assert.Contains(Messages(result), e => e.Contains("invalid YAML at line 17", StringComparison.Ordinal) && e.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Empty_plain_value_keeps_the_default_but_quoted_empty_string_sets_it()
    {
        var options = ConfigLoader.LoadYaml(MinimalYaml + "\nlog:\n  level:\n  file_path: ''\n").Options;
        Assert.Equal("info", options.Log.Level);
        Assert.Equal("", options.Log.FilePath);
    }

    [Fact]
    public void Known_authelia_sections_we_do_not_implement_warn_instead_of_failing()
    {
        var result = ConfigLoader.LoadYaml(MinimalYaml + "\nduo_api:\n  hostname: api.example.com\ntheme: dark\n");
        Assert.True(result.IsValid);
        Assert.Contains(result.Diagnostics.Warnings, w => w.ToString().StartsWith("option 'duo_api' is not supported and is ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void An_ldap_backend_is_an_error_because_ignoring_it_would_change_who_can_log_in()
    {
        var result = ConfigLoader.LoadYaml(MinimalYaml.Replace("authentication_backend:\n", "authentication_backend:\n  ldap:\n    address: ldap://x\n", StringComparison.Ordinal));
        Assert.Contains(Messages(result), e => e.StartsWith("authentication_backend: option 'ldap' is not supported", StringComparison.Ordinal));
    }

    [Fact]
    public void Later_files_override_earlier_ones_key_by_key()
    {
        using var dir = new TempDirectory();
        var first = dir.Write("a.yml", MinimalYaml + "\nlog:\n  level: debug\n  format: json\n");
        var second = dir.Write("b.yml", "log:\n  level: warn\n");
        var result = ConfigLoader.Load([first, second]);
        Assert.True(result.IsValid, string.Join("\n", Messages(result)));
        Assert.Equal("warn", result.Options.Log.Level);
        Assert.Equal("json", result.Options.Log.Format);
    }

    [Fact]
    public void Relative_file_paths_are_resolved_against_the_first_file_and_absolute_ones_kept()
    {
        using var dir = new TempDirectory();
        var first = dir.Write("a.yml", MinimalYaml.Replace("/tmp/portal-test.sqlite3", "data/db.sqlite3", StringComparison.Ordinal)
            .Replace("/tmp/portal-notification.txt", "out/notification.txt", StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(dir.Path, "sub"));
        var second = dir.Write(Path.Combine("sub", "b.yml"), """
            log:
              file_path: logs/portal.log
            server:
              tls:
                certificate: tls/cert.pem
                key: /etc/portal/key.pem
            gateway:
              tls:
                certificate: tls/gateway.pem
                key: tls/gateway.key
            notifier:
              template_path: templates
            """);
        var options = ConfigLoader.Load([first, second]).Options;
        string In(string relative) => Path.GetFullPath(Path.Combine(dir.Path, relative));
        Assert.Equal(In("users.yml"), options.AuthenticationBackend.File.Path);
        Assert.Equal(In("data/db.sqlite3"), options.Storage.Local!.Path);
        Assert.Equal(In("out/notification.txt"), options.Notifier.Filesystem!.Filename);
        Assert.Equal(In("logs/portal.log"), options.Log.FilePath);
        Assert.Equal(In("tls/cert.pem"), options.Server.Tls.Certificate);
        Assert.Equal("/etc/portal/key.pem", options.Server.Tls.Key);
        Assert.Equal(In("tls/gateway.pem"), options.Gateway.Tls.Certificate);
        Assert.Equal(In("tls/gateway.key"), options.Gateway.Tls.Key);
        Assert.Equal(In("templates"), options.Notifier.TemplatePath);
        // Not a file path: kept as written.
        Assert.Equal("example.com", options.Session.Cookies[0].Domain);
    }

    [Fact]
    public void Yaml_loaded_without_a_file_keeps_relative_paths_as_written()
    {
        var options = ConfigLoader.LoadYaml(MinimalYaml).Options;
        Assert.Equal("users.yml", options.AuthenticationBackend.File.Path);
    }

    [Fact]
    public void A_missing_file_is_an_error_not_an_exception()
    {
        var result = ConfigLoader.Load(["/nonexistent/portal.yml"]);
        Assert.Contains(Messages(result), e => e.StartsWith("cannot read configuration file '/nonexistent/portal.yml'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_template_validates_as_shipped()
    {
        var template = RepositoryFiles.Path("config.template.yml");
        var result = ConfigLoader.Load([template]);
        Assert.True(result.IsValid, string.Join("\n", Messages(result)));
    }
}
