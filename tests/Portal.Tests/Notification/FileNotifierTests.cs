using Portal.Notification;
using Portal.Tests.Support;

namespace Portal.Tests.Notification;

public sealed class FileNotifierTests
{
    [Fact]
    public async Task Each_message_replaces_the_file_which_is_private_to_the_owner()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "mail", "notification.txt");
        var notifier = new FileNotifier(path, new ManualTimeProvider());

        await notifier.StartupCheckAsync(CancellationToken.None);
        await notifier.SendAsync(new MailRecipient("john@example.com", "John Doe"), "First", "first body", "<p>ignored</p>", CancellationToken.None);
        await notifier.SendAsync(new MailRecipient("harry@example.com", ""), "Second", "second body", null, CancellationToken.None);

        var text = await File.ReadAllTextAsync(path);
        Assert.Equal("Date: Sun, 01 Mar 2026 12:00:00 GMT\nRecipient: harry@example.com\nSubject: Second\n\nsecond body", text.ReplaceLineEndings("\n"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task A_file_that_was_world_readable_becomes_private_on_the_next_message()
    {
        using var dir = new TempDirectory();
        var path = dir.File("notification.txt");
        await File.WriteAllTextAsync(path, "old");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);

        await new FileNotifier(path, new ManualTimeProvider()).SendAsync(new MailRecipient("john@example.com", "John"), "S", "body", null, CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Contains("Recipient: John <john@example.com>", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unwritable_directory_fails_the_startup_check_clearly()
    {
        using var dir = new TempDirectory();
        var file = dir.File("not-a-directory");
        await File.WriteAllTextAsync(file, "");

        var e = await Assert.ThrowsAsync<NotificationException>(() => new FileNotifier(Path.Combine(file, "notification.txt"), TimeProvider.System).StartupCheckAsync(CancellationToken.None));

        Assert.StartsWith("notifier: filesystem: cannot", e.Message, StringComparison.Ordinal);
    }
}
