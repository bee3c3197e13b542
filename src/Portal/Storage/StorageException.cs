namespace Portal.Storage;

/// <summary>
/// The database cannot be used: at startup as configured (unreadable file, schema from a newer portal, wrong
/// encryption key), or later by a store call (<see cref="StorageUnavailableException"/>,
/// <see cref="StorageConflictException"/>). Stores throw only this family, never their engine's exceptions, so an
/// endpoint that answers an outage with 503 catches this one type whatever the engine.
/// Messages are written for the admin and start with <c>storage:</c>, like configuration errors.
/// </summary>
internal class StorageException : Exception
{
    public StorageException()
    {
    }

    public StorageException(string message) : base(message)
    {
    }

    public StorageException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
