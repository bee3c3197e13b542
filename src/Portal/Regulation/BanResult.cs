using System.Net;

namespace Portal.Regulation;

/// <summary>The outcome of <see cref="Regulator.BanCheckAsync"/>.</summary>
internal sealed record BanResult(RegulationSubject? Subject, DateTimeOffset? Expires)
{
    public static readonly BanResult None = new(null, null);

    public bool IsBanned => Subject is not null;
}
