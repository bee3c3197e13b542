using Portal.Storage;
using Portal.Storage.Sqlite;
using Portal.Tests.Support;

namespace Portal.Tests.Storage;

/// <summary>A SQLite database file in a fresh temp directory, on a manual clock; disposing closes it and deletes both.</summary>
internal sealed class TestDatabase : IDisposable
{
    public TestDatabase()
    {
        Database = SqliteDatabase.Open(Directory.File("portal.sqlite3"), TestKeys.Key, Time);
    }

    /// <summary>Where the database file lives; other files of the test may go next to it.</summary>
    public TempDirectory Directory { get; } = new();

    public ManualTimeProvider Time { get; } = new();

    public SqliteDatabase Database { get; }

    public void Dispose()
    {
        Database.Dispose();
        Directory.Dispose();
    }
}
