using System.Security.Cryptography;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Users;

/// <summary>
/// Changes one user's <c>password</c> in the users file and nothing else: the new digest is spliced in place of the
/// old value, so other users, other fields, comments and layout stay byte for byte. The file is replaced atomically
/// (a temporary file in the same folder, flushed, then renamed over it, with the old file's permissions), so a
/// reader sees the old file or the new one, never half of one.
/// </summary>
/// <remarks>
/// Writers that share the file are kept in line twice: portals (one process or several on a shared volume) take an
/// exclusive lock on <c>&lt;file&gt;.lock</c>; anyone else (an admin's editor, a config-management run) is caught
/// by comparing the file just before the rename with what was read: when it changed, the change is read again and the
/// password applied over it, so neither write is lost.
/// </remarks>
internal static class UsersFileWriter
{
    private const int Attempts = 5;

    /// <summary>Replaces the password digest of <paramref name="username"/> (the users-file key).</summary>
    /// <param name="beforeReplace">test hook: runs between the read and the rename (to race another writer in)</param>
    /// <returns>null on success, else why the file was left unchanged</returns>
    public static string? SetPassword(string path, string username, string digest, Action? beforeReplace = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(digest);
        if (digest.Contains('\'', StringComparison.Ordinal) || digest.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("a digest is a single line without quotes", nameof(digest));
        }
        using var fileLock = LockFile(path);
        if (fileLock is null)
        {
            return $"users file '{path}': another portal kept '{path}.lock' locked";
        }
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            byte[] before;
            try
            {
                before = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"users file '{path}': {e.Message}";
            }
            var bom = before.AsSpan().StartsWith(Encoding.UTF8.Preamble);
            var text = new UTF8Encoding(false).GetString(bom ? before[3..] : before);
            var changed = Splice(text, username, digest, out var error);
            if (changed is null)
            {
                return $"users file '{path}': {error}";
            }
            var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                {
                    if (bom)
                    {
                        stream.Write(Encoding.UTF8.Preamble);
                    }
                    stream.Write(new UTF8Encoding(false).GetBytes(changed));
                    stream.Flush(flushToDisk: true);
                }
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
                }
                beforeReplace?.Invoke();
                if (!File.ReadAllBytes(path).AsSpan().SequenceEqual(before))
                {
                    // Someone else wrote the file meanwhile: apply the password over their version instead.
                    continue;
                }
                File.Move(temp, path, overwrite: true);
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"users file '{path}': cannot replace it: {e.Message}";
            }
            finally
            {
                File.Delete(temp);
            }
        }
        return $"users file '{path}': it kept changing while the password was being written; try again";
    }

    /// <summary>The text with the user's password value replaced, or null (and why).</summary>
    internal static string? Splice(string text, string username, string digest, out string error)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            error = "it is not valid YAML: " + e.Message;
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("users"), out var users) || users is not YamlMappingNode usersMap)
        {
            error = "expected a 'users' key holding a mapping of username to user";
            return null;
        }
        var user = usersMap.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: { } key } && string.Equals(key, username, StringComparison.Ordinal)).Value;
        if (user is not YamlMappingNode fields || !fields.Children.TryGetValue(new YamlScalarNode("password"), out var password) || password is not YamlScalarNode)
        {
            error = $"user '{username}' has no password value to replace";
            return null;
        }
        var (start, end) = ((int)password.Start.Index, (int)password.End.Index);
        error = "";
        // Single quotes: a digest has none, and '$', ',' and '=' need no escaping inside them.
        return text[..start] + "'" + digest + "'" + text[end..];
    }

    /// <summary>The cross-process lock, waited for up to 10 s; null when it could not be had.</summary>
    private static FileStream? LockFile(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
