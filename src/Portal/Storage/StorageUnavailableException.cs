namespace Portal.Storage;

/// <summary>
/// A store call failed because the database could not serve it (locked past the busy timeout, unreadable, damaged,
/// disk full). Nothing was decided; trying again later may work. The engine's exception is the inner exception.
/// </summary>
internal sealed class StorageUnavailableException : StorageException
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message) : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
