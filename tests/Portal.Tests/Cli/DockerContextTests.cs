using System.Diagnostics;
using System.Text.RegularExpressions;
using Portal.Tests.Support;

namespace Portal.Tests.Cli;

/// <summary>
/// The Dockerfile's build stage without a Docker engine: the build context is laid out as Docker would send it
/// (.dockerignore applied), the stage's COPY lines are replayed, and the same <c>dotnet publish</c> runs. Once,
/// the image could not build because the project embedded a file from deploy/, which the context excludes.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class DockerContextTests
{
    [Fact]
    public async Task The_dockerfile_build_stage_publishes_from_the_files_its_context_holds()
    {
        var root = RepositoryFiles.Root;
        using var dir = new TempDirectory();
        var ignore = File.ReadAllLines(Path.Combine(root, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var workdir = Path.Combine(dir.Path, "src-stage");
        var copies = 0;
        foreach (var line in BuildStage(File.ReadAllLines(Path.Combine(root, "Dockerfile"))))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
            var destination = Path.Combine(workdir, parts[^1]);
            foreach (var source in parts[..^1])
            {
                copies += Copy(root, source.TrimEnd('/'), destination, ignore, sourceIsDirectory: source.EndsWith('/'));
            }
        }
        Assert.True(copies > 10, $"the build stage copied only {copies} files");
        Assert.False(Directory.Exists(Path.Combine(workdir, "deploy")), "deploy/ is excluded from the context");

        var publish = new ProcessStartInfo("dotnet", ["publish", Path.Combine(workdir, "src", "Portal", "Portal.csproj"), "-c", "Release", "-o", Path.Combine(dir.Path, "app"), "-nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workdir,
        };
        publish.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        publish.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(publish)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet publish in the Docker context failed:\n{await output}\n{await errors}");
        Assert.True(File.Exists(Path.Combine(dir.Path, "app", "portal.dll")));
    }

    /// <summary>The COPY lines of the first stage (those without --from).</summary>
    private static IEnumerable<string> BuildStage(string[] dockerfile)
    {
        var stage = 0;
        foreach (var line in dockerfile.Select(l => l.Trim()))
        {
            if (line.StartsWith("FROM ", StringComparison.Ordinal) && ++stage > 1)
            {
                yield break;
            }
            if (line.StartsWith("COPY ", StringComparison.Ordinal) && !line.Contains("--from", StringComparison.Ordinal))
            {
                yield return line;
            }
        }
    }

    private static int Copy(string root, string source, string destination, List<string> ignore, bool sourceIsDirectory)
    {
        var full = Path.Combine(root, source);
        var count = 0;
        if (File.Exists(full) && !sourceIsDirectory)
        {
            if (Ignored(source, ignore))
            {
                return 0;
            }
            var target = destination.EndsWith('/') || Directory.Exists(destination) ? Path.Combine(destination, Path.GetFileName(source)) : destination;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(full, target, overwrite: true);
            return 1;
        }
        Assert.True(Directory.Exists(full), $"the Dockerfile copies '{source}', which does not exist");
        foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (Ignored(relative, ignore))
            {
                continue;
            }
            var target = Path.Combine(destination, Path.GetRelativePath(full, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
            count++;
        }
        return count;
    }

    /// <summary>.dockerignore as this repository writes it: <c>**/dir/</c>, <c>dir/</c> and root globs such as <c>*.md</c>.</summary>
    private static bool Ignored(string relative, List<string> patterns)
    {
        var segments = relative.Split('/');
        foreach (var pattern in patterns)
        {
            if (pattern.StartsWith("**/", StringComparison.Ordinal) && pattern.EndsWith('/'))
            {
                if (segments.AsSpan(0, segments.Length - 1).Contains(pattern[3..^1]))
                {
                    return true;
                }
            }
            else if (pattern.EndsWith('/'))
            {
                if (relative.StartsWith(pattern, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            else if (Regex.IsMatch(relative, "^" + Regex.Escape(pattern).Replace("\\*", "[^/]*", StringComparison.Ordinal) + "$"))
            {
                return true;
            }
        }
        return false;
    }
}
