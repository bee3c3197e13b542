namespace Portal.Storage.Sqlite;

internal static class SqliteStorageServices
{
    /// <summary>
    /// Every store interface over the <see cref="SqliteDatabase"/> singleton (registered, and opened at startup, by
    /// the app). A second engine registers the same stores over its own database instead.
    /// </summary>
    public static IServiceCollection AddSqliteStores(this IServiceCollection services)
    {
        services.AddSingleton<StorageDatabase>(sp => sp.GetRequiredService<SqliteDatabase>());
        return services.AddStores();
    }
}
