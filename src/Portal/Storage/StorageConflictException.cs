namespace Portal.Storage;

/// <summary>
/// A write broke a uniqueness or other constraint that the store does not answer itself (the stores turn the
/// expected ones, such as a duplicate credential, into results). The engine's exception is the inner exception.
/// </summary>
internal sealed class StorageConflictException : StorageException
{
    public StorageConflictException()
    {
    }

    public StorageConflictException(string message) : base(message)
    {
    }

    public StorageConflictException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
