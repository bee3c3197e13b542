namespace Portal.AccessControl;

/// <summary>The values of <c>access_control.ambiguous_paths</c> (see <see cref="PathReadings"/>).</summary>
internal static class AmbiguousPathsNames
{
    /// <summary>Decide on every reading of the path and enforce the strictest decision (the default).</summary>
    public const string Strictest = "strictest";

    /// <summary>Answer 400 to a path that reads differently to different backends.</summary>
    public const string Refuse = "refuse";
}
