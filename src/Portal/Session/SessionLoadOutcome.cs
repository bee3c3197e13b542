using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Portal.Session;

/// <summary>Why a request ended up with the session it has.</summary>
internal enum SessionLoadOutcome
{
    /// <summary>The stored session was found and is valid.</summary>
    Loaded,

    /// <summary>No session cookie: a fresh anonymous session.</summary>
    NoCookie,

    /// <summary>The cookie value could not be an id; the store was not consulted.</summary>
    Malformed,

    /// <summary>Two or more session cookies; neither was used.</summary>
    Duplicate,

    /// <summary>Well-formed id, but nothing (readable) in the store: expired there, destroyed, or forged.</summary>
    NotFound,

    /// <summary>The session was idle longer than <c>inactivity</c>; it was destroyed.</summary>
    Inactive,

    /// <summary>The session outlived <c>expiration</c> (or <c>remember_me</c>); it was destroyed.</summary>
    Expired,

    /// <summary>The session belongs to another cookie domain; it was destroyed.</summary>
    DomainMismatch,
}
