namespace Portal.Storage;

/// <summary>
/// The database cannot be used as configured (unreadable file, schema from a newer portal, wrong encryption key).
/// Messages are written for the admin and start with <c>storage:</c>, like configuration errors.
/// </summary>
internal sealed class StorageException : Exception
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
