namespace Portal.Storage;

/// <summary>Which SQL an engine-neutral store speaks where the engines differ.</summary>
internal enum StorageDialect
{
    Sqlite,
    Postgres,
}
