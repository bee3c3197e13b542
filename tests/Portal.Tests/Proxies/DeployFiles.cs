using Portal.Tests.Support;

namespace Portal.Tests.Proxies;

/// <summary>
/// The shipped files under <c>deploy/</c>, read from the repository so the tests run exactly what users copy. Only
/// addresses, ports, certificate paths and server names are substituted, and each substitution must apply: a
/// snippet that stops containing the text a test replaces fails loudly instead of being tested unchanged.
/// </summary>
internal static class DeployFiles
{
    public static string PathOf(string relative) => RepositoryFiles.Path(Path.Combine("deploy", relative));

    /// <summary>The file's text with every (from → to) replacement applied; throws if one finds nothing.</summary>
    public static string Read(string relative, params (string From, string To)[] replacements)
    {
        var text = File.ReadAllText(PathOf(relative));
        foreach (var (from, to) in replacements)
        {
            if (!text.Contains(from, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"deploy/{relative} no longer contains '{from}', which the proxy tests substitute");
            }
            text = text.Replace(from, to, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>Writes <see cref="Read"/>'s result to <paramref name="directory"/>/<paramref name="relative"/>.</summary>
    public static string CopyTo(string directory, string relative, params (string From, string To)[] replacements)
    {
        var target = Path.Combine(directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, Read(relative, replacements));
        return target;
    }
}
