using Portal.AccessControl;
using Portal.Session;

namespace Portal.ForwardAuth;

internal enum AuthzOutcome
{
    /// <summary>200, with <c>Remote-*</c> headers when the user is known.</summary>
    Authorized,

    /// <summary>403.</summary>
    Forbidden,

    /// <summary>Log in (again): redirect, or 401 for API callers.</summary>
    Unauthorized,
}
