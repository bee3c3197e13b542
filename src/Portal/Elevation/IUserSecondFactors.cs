namespace Portal.Elevation;

/// <summary>Whether a user has registered any second factor (for <c>require_second_factor</c> / <c>skip_second_factor</c>).</summary>
internal interface IUserSecondFactors
{
    /// <summary>For any relying party: what the elevation state (GET) reports.</summary>
    Task<bool> HasAnyAsync(string username, CancellationToken cancellationToken);

    /// <summary>For the relying party <paramref name="rpId"/> (the portal host): what the elevated-session guard asks.</summary>
    Task<bool> HasAnyAsync(string rpId, string username, CancellationToken cancellationToken);
}
