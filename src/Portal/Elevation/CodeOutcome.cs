using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Portal.Crypto;
using Portal.Storage;

namespace Portal.Elevation;

internal enum CodeOutcome
{
    Verified,

    /// <summary>No code for this user, IP and text: wrong, or issued to another IP or user.</summary>
    NotFound,
    Expired,
    Revoked,
    Consumed,
}
