namespace Portal.Storage.Postgres;

internal static class PostgresStorageServices
{
    /// <summary>
    /// Every store interface over the <see cref="PostgresDatabase"/> singleton (registered, and opened at startup, by
    /// the app), in place of <see cref="Sqlite.SqliteStorageServices.AddSqliteStores"/>.
    /// </summary>
    public static IServiceCollection AddPostgresStores(this IServiceCollection services)
    {
        services.AddSingleton<StorageDatabase>(sp => sp.GetRequiredService<PostgresDatabase>());
        return services.AddStores();
    }
}
