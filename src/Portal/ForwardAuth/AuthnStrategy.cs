namespace Portal.ForwardAuth;

/// <summary>One step of an authz endpoint's authentication: tried in order, the first that names a user wins.</summary>
/// <param name="BasicCacheLifespan">how long a verified basic credential is remembered; zero is never</param>
internal sealed record AuthnStrategy(AuthnStrategyKind Kind, TimeSpan BasicCacheLifespan = default)
{
    public static bool TryParseKind(string name, out AuthnStrategyKind kind) =>
        Enum.TryParse(name, ignoreCase: false, out kind) && Enum.IsDefined(kind) && !int.TryParse(name, out _);
}
