using Microsoft.Data.Sqlite;

namespace Portal.Tests.Storage;

/// <summary>A fresh directory under the system temp dir, deleted (with any SQLite files) on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "portal-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}

internal static class TestKeys
{
    public const string Key = "a-test-encryption-key-of-decent-length";
    public const string OtherKey = "another-test-encryption-key-entirely";
}
