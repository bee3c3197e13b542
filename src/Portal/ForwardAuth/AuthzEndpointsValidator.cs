using System.Globalization;
using Portal.Configuration;

namespace Portal.ForwardAuth;

/// <summary>Checks <c>server.endpoints.authz</c> as Authelia does, every problem with its YAML path.</summary>
internal static class AuthzEndpointsValidator
{
    private const string Section = "server.endpoints.authz";

    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        foreach (var (name, endpoint) in options.Server.Endpoints.Authz)
        {
            var path = $"{Section}.{name}";
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
            {
                diag.Error(Section, $"endpoint name '{name}' must be lower-case letters, digits, '-' or '_' (it becomes the path /api/authz/{name})");
                continue;
            }
            if (!AuthzEndpoint.TryParseImplementation(endpoint.Implementation, out var implementation))
            {
                diag.Error(path, "implementation", endpoint.Implementation == "ExtAuthz"
                    ? "'ExtAuthz' (Envoy) is not supported by Portal: use 'ForwardAuth', 'AuthRequest' or 'Legacy'"
                    : $"must be one of 'ForwardAuth', 'AuthRequest', 'Legacy' but it's configured as '{endpoint.Implementation}'");
                continue;
            }
            if (name == AuthzEndpoint.LegacyName && implementation != AuthzImplementation.Legacy)
            {
                diag.Error(path, "implementation", $"must be 'Legacy' for the endpoint named '{AuthzEndpoint.LegacyName}' (/api/verify)");
            }
            var seen = new HashSet<AuthnStrategyKind>();
            for (var i = 0; i < endpoint.AuthnStrategies.Count; i++)
            {
                var strategy = endpoint.AuthnStrategies[i];
                var strategyPath = string.Create(CultureInfo.InvariantCulture, $"{path}.authn_strategies[{i}]");
                if (!AuthnStrategy.TryParseKind(strategy.Name, out var kind))
                {
                    diag.Error(strategyPath, "name", $"must be one of {string.Join(", ", Enum.GetNames<AuthnStrategyKind>().Select(n => $"'{n}'"))} but it's configured as '{strategy.Name}'");
                    continue;
                }
                if (!seen.Add(kind))
                {
                    diag.Error(strategyPath, "name", $"'{strategy.Name}' is listed more than once");
                }
                var legacy = implementation == AuthzImplementation.Legacy;
                if (kind == AuthnStrategyKind.HeaderLegacy && !legacy)
                {
                    diag.Error(strategyPath, "name", "'HeaderLegacy' is only available to the 'Legacy' implementation");
                }
                else if (legacy && kind is not (AuthnStrategyKind.HeaderLegacy or AuthnStrategyKind.CookieSession))
                {
                    diag.Error(strategyPath, "name", $"'{strategy.Name}' is not available to the 'Legacy' implementation: use 'HeaderLegacy' or 'CookieSession'");
                }
                if (kind == AuthnStrategyKind.CookieSession && (strategy.Schemes.Count > 0 || strategy.SchemeBasicCacheLifespan != TimeSpan.Zero))
                {
                    diag.Error(strategyPath, strategy.Schemes.Count > 0 ? "schemes" : "scheme_basic_cache_lifespan", "does not apply to 'CookieSession'");
                }
                for (var j = 0; j < strategy.Schemes.Count; j++)
                {
                    var scheme = strategy.Schemes[j];
                    if (!scheme.Equals("basic", StringComparison.OrdinalIgnoreCase))
                    {
                        diag.Error(string.Create(CultureInfo.InvariantCulture, $"{strategyPath}.schemes[{j}]"), scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase)
                            ? "'bearer' is not supported by Portal (it has no OpenID Connect provider): use 'basic'"
                            : $"must be 'basic' but it's configured as '{scheme}'");
                    }
                }
                if (strategy.SchemeBasicCacheLifespan < TimeSpan.Zero)
                {
                    diag.Error(strategyPath, "scheme_basic_cache_lifespan", "must not be negative");
                }
            }
        }
    }
}
