using System.Net;

namespace Portal.Elevation;

/// <summary>At most <see cref="Count"/> requests per <see cref="Window"/>.</summary>
internal sealed record RateLimitBucket(int Count, TimeSpan Window);
