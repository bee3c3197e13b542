namespace Portal.Elevation;

/// <summary>Whether a user has registered any second factor (for <c>require_second_factor</c> / <c>skip_second_factor</c>).</summary>
internal interface IUserSecondFactors
{
    Task<bool> HasAnyAsync(string username, CancellationToken cancellationToken);
}
