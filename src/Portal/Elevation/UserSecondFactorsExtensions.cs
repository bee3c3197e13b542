namespace Portal.Elevation;

/// <summary>Every kind of second factor registered (security keys, TOTP): a user has one when any kind says so.</summary>
internal static class UserSecondFactorsExtensions
{
    public static async Task<bool> HasAnyAsync(this IEnumerable<IUserSecondFactors> kinds, string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        foreach (var kind in kinds)
        {
            if (await kind.HasAnyAsync(username, cancellationToken))
            {
                return true;
            }
        }
        return false;
    }

    public static async Task<bool> HasAnyAsync(this IEnumerable<IUserSecondFactors> kinds, string rpId, string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        foreach (var kind in kinds)
        {
            if (await kind.HasAnyAsync(rpId, username, cancellationToken))
            {
                return true;
            }
        }
        return false;
    }
}
