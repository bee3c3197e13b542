namespace Portal.Session;

/// <summary>
/// The session store could not be reached in time. Callers must fail closed (deny, never 200); the store recovers
/// on its own once the backend is back.
/// </summary>
internal sealed class SessionStoreUnavailableException : Exception
{
    public SessionStoreUnavailableException()
        : base("The session store is unavailable.")
    {
    }

    public SessionStoreUnavailableException(string message)
        : base(message)
    {
    }

    public SessionStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
