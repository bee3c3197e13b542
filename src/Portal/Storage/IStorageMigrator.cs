namespace Portal.Storage;

/// <summary>
/// One engine's schema migrations on one database, for <c>portal storage migrate</c>. Opening it neither migrates nor
/// checks the encryption key (<c>serve</c> does both); every change runs in one transaction that either applies
/// every step or none.
/// </summary>
internal interface IStorageMigrator : IDisposable
{
    /// <summary>How messages name the database.</summary>
    string Where { get; }

    /// <summary>The migrations compiled into this build.</summary>
    IReadOnlyList<MigrationScript> Available { get; }

    /// <summary>The highest version applied; 0 for an empty database.</summary>
    int CurrentVersion();

    /// <summary>The <c>migrations</c> table, oldest first.</summary>
    IReadOnlyList<AppliedMigration> History();

    /// <summary>Applies the pending migrations up to <paramref name="target"/>; returns those applied.</summary>
    IReadOnlyList<MigrationScript> Up(int target);

    /// <summary>Undoes the applied migrations above <paramref name="target"/>, newest first; returns those undone. Drops their data.</summary>
    IReadOnlyList<MigrationScript> Down(int target);
}
