namespace Portal.Storage;

/// <summary>
/// One schema migration of one engine: <c>Storage/Migrations/&lt;Engine&gt;/V0000.Name.sql</c> (up) and
/// <c>V0000.Name.down.sql</c> (what undoes it; null when there is none).
/// </summary>
internal sealed record MigrationScript(int Version, string Name, string Up, string? Down);
