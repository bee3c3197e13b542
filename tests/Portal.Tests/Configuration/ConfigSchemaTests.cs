using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Portal.Cli;
using Portal.Configuration;
using Portal.Tests.Support;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Tests.Configuration;

/// <summary>
/// The configuration's JSON Schema, as an editor with a YAML language server uses it: it is generated from the
/// option classes (so the shipped file cannot drift from them), it accepts the files we ship and flags what
/// <c>validate-config</c> would refuse as a typo.
/// </summary>
public sealed class ConfigSchemaTests
{
    private const string SchemaFile = "config.schema.json";

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(ConfigSchema.GenerateText()));

    [Fact]
    public void The_shipped_schema_file_is_exactly_what_the_option_classes_generate()
    {
        var shipped = File.ReadAllText(RepositoryFiles.Path(SchemaFile));
        Assert.True(shipped == ConfigSchema.GenerateText(),
            $"{SchemaFile} is out of date: regenerate it with 'dotnet run --project src/Portal -- config schema > {SchemaFile}'");
    }

    [Fact]
    public async Task Portal_config_schema_prints_the_schema()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["config", "schema"], stdout, stderr);
        Assert.Equal(0, exit);
        Assert.Equal(ConfigSchema.GenerateText(), stdout.ToString());
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", JsonNode.Parse(stdout.ToString())!["$schema"]!.GetValue<string>());
    }

    [Fact]
    public async Task Portal_config_with_an_unknown_subcommand_is_a_usage_error()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["config", "shema"], stdout, stderr);
        Assert.NotEqual(0, exit);
        Assert.Contains("unknown command 'config shema'", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_option_key_has_a_description()
    {
        var missing = ConfigSchema.Options(typeof(PortalOptions))
            .Where(o => o.Property.GetCustomAttributes(typeof(DescriptionAttribute), false).Length == 0)
            .Select(o => o.Path)
            .ToList();
        Assert.True(missing.Count == 0, "options without [Description]: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_schema_gives_keys_their_types_defaults_and_allowed_values()
    {
        var root = JsonNode.Parse(ConfigSchema.GenerateText())!;
        var regulation = root["properties"]!["regulation"]!["properties"]!;
        Assert.Equal(3, regulation["max_retries"]!["default"]!.GetValue<int>());
        Assert.Equal("2m", regulation["find_time"]!["default"]!.GetValue<string>());
        var policy = root["properties"]!["access_control"]!["properties"]!["default_policy"]!;
        Assert.Equal("deny", policy["default"]!.GetValue<string>());
        Assert.Contains("two_factor", policy["enum"]!.AsArray().Select(v => v?.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(policy["description"]!.GetValue<string>()));
        Assert.False(root["additionalProperties"]!.GetValue<bool>());
    }

    [Fact]
    public void The_template_starts_with_the_comment_that_points_editors_at_the_schema()
    {
        var first = File.ReadLines(RepositoryFiles.Path("config.template.yml")).First();
        Assert.Equal("# yaml-language-server: $schema=./" + SchemaFile, first);
    }

    private static readonly string[] Shipped =
    [
        "config.template.yml",
        "deploy/compose/configuration.yml",
        "deploy/compose/configuration-ha.yml",
    ];

    public static TheoryData<string> ShippedConfigurations() => [.. Shipped];

    [Theory]
    [MemberData(nameof(ShippedConfigurations))]
    public void A_shipped_configuration_satisfies_the_schema(string file)
    {
        var result = Evaluate(File.ReadAllText(RepositoryFiles.Path(file)));
        Assert.True(result.IsValid, string.Join("\n", Problems(result)));
    }

    [Fact]
    public void Every_deploy_configuration_is_in_the_list_checked_against_the_schema()
    {
        var checkedFiles = Shipped.ToHashSet(StringComparer.Ordinal);
        var portalConfigurations = Directory.EnumerateFiles(RepositoryFiles.Path("deploy"), "configuration*.yml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryFiles.Root, f).Replace('\\', '/'));
        Assert.All(portalConfigurations, f => Assert.Contains(f, checkedFiles));
    }

    [Theory]
    [InlineData("access_control:\n  default_polcy: deny\n", "default_polcy")]
    [InlineData("regulation:\n  max_retries: 'three'\n", "max_retries")]
    [InlineData("access_control:\n  rules:\n    - domain: 'a.example.com'\n      policy: 'two-factor'\n", "policy")]
    [InlineData("session:\n  cookies:\n    - domain: 'example.com'\n      autelia_url: 'https://auth.example.com'\n", "autelia_url")]
    [InlineData("storage:\n  mysql:\n    address: 'tcp://db:3306'\n", "mysql")]
    public void A_planted_mistake_is_flagged_by_the_schema_as_by_validate_config(string yaml, string key)
    {
        var result = Evaluate(yaml);
        Assert.False(result.IsValid);
        Assert.Contains(Problems(result), p => p.Contains(key, StringComparison.Ordinal));
        Assert.False(ConfigLoaderTests.LoadOverMinimal(yaml).IsValid);
    }

    [Theory]
    [InlineData("totp:\n  issuer: 'example.com'\n")]
    [InlineData("access_control:\n  rules:\n    - domain: 'a.example.com'\n      subject: 'group:admins'\n      policy: 'one_factor'\n")]
    [InlineData("access_control:\n  rules:\n    - domain: ['a.example.com']\n      subject: [['group:admins', 'user:john'], 'user:bob']\n      policy: 'one_factor'\n")]
    [InlineData("session:\n  expiration: 3600\n  inactivity:\n")]
    public void What_validate_config_accepts_the_schema_accepts(string yaml)
    {
        Assert.True(ConfigLoaderTests.LoadOverMinimal(yaml).IsValid);
        var result = Evaluate(yaml);
        Assert.True(result.IsValid, string.Join("\n", Problems(result)));
    }

    /// <summary>
    /// Each key with allowed values, in a configuration where the key applies: every value the schema lists must
    /// pass <c>validate-config</c>, and one outside the list must not — the validator and the schema agree.
    /// </summary>
    private static readonly Dictionary<string, string[]> AllowedValueCases = new(StringComparer.Ordinal)
    {
        ["log.level"] = ["log:\n  level: '{0}'"],
        ["log.format"] = ["log:\n  format: '{0}'"],
        ["authentication_backend.file.password.algorithm"] = ["authentication_backend:\n  file:\n    path: users.yml\n    password:\n      algorithm: '{0}'"],
        ["authentication_backend.file.password.argon2.variant"] = ["authentication_backend:\n  file:\n    path: users.yml\n    password:\n      argon2:\n        variant: '{0}'"],
        ["session.same_site"] = ["session:\n  same_site: '{0}'"],
        ["session.cookies[].same_site"] = ["session:\n  cookies:\n    - domain: example.com\n      authelia_url: https://auth.example.com/\n      same_site: '{0}'"],
        ["session.redis.tls.minimum_version"] = ["session:\n  secret: a-very-long-session-secret-for-tests\n  redis:\n    host: 127.0.0.1\n    tls:\n      minimum_version: '{0}'"],
        ["notifier.smtp.tls.minimum_version"] = ["notifier:\n  filesystem:\n  smtp:\n    address: 'submission://mail.example.com:587'\n    sender: 'Portal <portal@example.com>'\n    tls:\n      minimum_version: '{0}'"],
        ["storage.postgres.tls.minimum_version"] = ["storage:\n  local:\n  postgres:\n    address: 'tcp://db:5432'\n    database: portal\n    username: portal\n    tls:\n      minimum_version: '{0}'"],
        ["access_control.default_policy"] = ["access_control:\n  default_policy: '{0}'\n  rules:\n    - domain: a.example.com\n      policy: one_factor"],
        ["access_control.ambiguous_paths"] = ["access_control:\n  ambiguous_paths: '{0}'"],
        ["access_control.rules[].policy"] = ["access_control:\n  rules:\n    - domain: a.example.com\n      policy: '{0}'"],
        ["access_control.rules[].passkey_uv_two_factor"] = ["webauthn:\n  enable_passkey_login: true\naccess_control:\n  rules:\n    - domain: a.example.com\n      policy: two_factor\n      passkey_uv_two_factor: '{0}'"],
        ["access_control.rules[].query[][].operator"] = ["access_control:\n  rules:\n    - domain: a.example.com\n      policy: one_factor\n      query:\n        - - key: q\n            operator: '{0}'\n            value: x", "access_control:\n  rules:\n    - domain: a.example.com\n      policy: one_factor\n      query:\n        - - key: q\n            operator: '{0}'"],
        ["regulation.modes"] = ["regulation:\n  modes: ['{0}']"],
        ["server.endpoints.authz.*.implementation"] = ["server:\n  endpoints:\n    authz:\n      custom:\n        implementation: '{0}'"],
        ["server.endpoints.authz.*.authn_strategies[].name"] = ["server:\n  endpoints:\n    authz:\n      custom:\n        implementation: ForwardAuth\n        authn_strategies:\n          - name: '{0}'", "server:\n  endpoints:\n    authz:\n      custom:\n        implementation: Legacy\n        authn_strategies:\n          - name: '{0}'"],
        ["server.endpoints.authz.*.authn_strategies[].schemes"] = ["server:\n  endpoints:\n    authz:\n      custom:\n        implementation: ForwardAuth\n        authn_strategies:\n          - name: HeaderAuthorization\n            schemes: ['{0}']"],
        ["identity_validation.reset_password.jwt_algorithm"] = ["identity_validation:\n  reset_password:\n    jwt_algorithm: '{0}'"],
        ["webauthn.attestation_conveyance_preference"] = ["webauthn:\n  attestation_conveyance_preference: '{0}'"],
        ["webauthn.passkey_enrollment"] = ["webauthn:\n  enable_passkey_login: true\n  passkey_enrollment: '{0}'"],
        ["webauthn.selection_criteria.attachment"] = ["webauthn:\n  selection_criteria:\n    attachment: '{0}'"],
        ["webauthn.selection_criteria.discoverability"] = ["webauthn:\n  selection_criteria:\n    discoverability: '{0}'"],
        ["webauthn.selection_criteria.user_verification"] = ["webauthn:\n  selection_criteria:\n    user_verification: '{0}'"],
    };

    public static TheoryData<string> KeysWithAllowedValues() =>
        [.. ConfigSchema.Options(typeof(PortalOptions)).Where(o => o.Property.GetCustomAttributes(typeof(ConfigValuesAttribute), false).Length > 0).Select(o => o.Path)];

    [Theory]
    [MemberData(nameof(KeysWithAllowedValues))]
    public void Validate_config_accepts_every_value_the_schema_allows_and_refuses_others(string path)
    {
        Assert.True(AllowedValueCases.TryGetValue(path, out var contexts), $"add a case for '{path}' to {nameof(AllowedValueCases)}");
        var property = ConfigSchema.Options(typeof(PortalOptions)).Single(o => o.Path == path).Property;
        var allowed = ((ConfigValuesAttribute)property.GetCustomAttributes(typeof(ConfigValuesAttribute), false)[0]).Values;
        foreach (var value in allowed)
        {
            var results = contexts.Select(c => ConfigLoaderTests.LoadOverMinimal(string.Format(CultureInfo.InvariantCulture, c, value))).ToList();
            Assert.True(results.Any(r => r.IsValid),
                $"'{value}' at {path} is in the schema but validate-config refuses it:\n" + string.Join("\n", results.SelectMany(r => r.Diagnostics.Errors)));
        }
        Assert.All(contexts, c => Assert.False(ConfigLoaderTests.LoadOverMinimal(string.Format(CultureInfo.InvariantCulture, c, "no-such-value")).IsValid));
    }

    private static EvaluationResults Evaluate(string yaml) =>
        Schema.Value.Evaluate(JsonSerializer.SerializeToElement(ToJson(yaml)), new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static IEnumerable<string> Problems(EvaluationResults result) =>
        (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));

    /// <summary>YAML to JSON as a YAML 1.2 language server reads it: plain scalars typed by the core schema, quoted ones strings.</summary>
    private static JsonNode? ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? new JsonObject() : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
        YamlScalarNode { Style: ScalarStyle.Plain } plain => Plain(plain.Value ?? ""),
        YamlScalarNode quoted => JsonValue.Create(quoted.Value),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };

    private static JsonValue? Plain(string value)
    {
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(value.StartsWith('t') || value.StartsWith('T'));
        }
        if (Regex.IsMatch(value, "^[-+]?[0-9]+$") && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (Regex.IsMatch(value, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"))
        {
            return JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture));
        }
        return JsonValue.Create(value);
    }
}
