using System.Globalization;
using System.Text;

namespace Portal.Notification;

/// <summary>
/// <c>notifier.filesystem</c>: each message replaces the file, so it always holds the last one (for setups without a
/// mail server, and for tests). The file holds one-time codes, so it is created 0600 in a 0700 directory and
/// replaced by rename: a reader never sees half a message, and the code is never world-readable, even briefly.
/// </summary>
internal sealed class FileNotifier(string path, TimeProvider time) : INotifier
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public async Task SendAsync(MailRecipient recipient, string subject, string textBody, string? htmlBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var content = new StringBuilder()
            .Append("Date: ").AppendLine(time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture))
            .Append("Recipient: ").AppendLine(FormatRecipient(recipient))
            .Append("Subject: ").AppendLine(subject)
            .AppendLine()
            .Append(textBody)
            .ToString();
        var directory = EnsureDirectory();
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, CreateOptions()))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(content), cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }
            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new NotificationException($"notifier: filesystem: cannot write '{Path}': {e.Message}", e);
        }
    }

    public Task StartupCheckAsync(CancellationToken cancellationToken)
    {
        var directory = EnsureDirectory();
        var probe = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.check");
        try
        {
            using (new FileStream(probe, CreateOptions()))
            {
            }
            File.Delete(probe);
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(probe);
            throw new NotificationException($"notifier: filesystem: cannot write in '{directory}': {e.Message}", e);
        }
    }

    private string EnsureDirectory()
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        try
        {
            if (!Directory.Exists(directory))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(directory);
                }
                else
                {
                    Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }
            return directory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NotificationException($"notifier: filesystem: cannot create the directory '{directory}': {e.Message}", e);
        }
    }

    private static FileStreamOptions CreateOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return options;
    }

    private static string FormatRecipient(MailRecipient recipient) =>
        recipient.Name.Length > 0 ? $"{recipient.Name} <{recipient.Address}>" : recipient.Address;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temporary name is random and hidden, and holds nothing a failed write did not.
        }
    }
}
