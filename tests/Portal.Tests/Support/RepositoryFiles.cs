namespace Portal.Tests.Support;

/// <summary>The checkout the tests were built from (the folder holding <c>Portal.sln</c>), for the files users read or copy.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    /// <summary>The path of <paramref name="relative"/> (e.g. <c>README.md</c>, <c>deploy/nginx/portal.conf</c>) in the checkout.</summary>
    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);
}
