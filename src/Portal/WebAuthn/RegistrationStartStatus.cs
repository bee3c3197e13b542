using Portal.Users;
using Portal.Session;

namespace Portal.WebAuthn;

internal enum RegistrationStartStatus
{
    Started,

    /// <summary>The name is empty, longer than 64 characters or contains control characters.</summary>
    InvalidDescription,
    DuplicateDescription,
}
