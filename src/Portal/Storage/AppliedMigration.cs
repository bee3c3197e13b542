namespace Portal.Storage;

/// <summary>A row of a database's <c>migrations</c> table: what was applied, under which file name, when.</summary>
internal sealed record AppliedMigration(int Version, string Name, DateTimeOffset AppliedAt);
