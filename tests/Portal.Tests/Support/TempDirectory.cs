using Microsoft.Data.Sqlite;

namespace Portal.Tests.Support;

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

    /// <summary>Writes <paramref name="contents"/> to <paramref name="name"/> in this directory and returns its path.</summary>
    public string Write(string name, string contents)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, contents);
        return path;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
