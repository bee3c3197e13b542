using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Portal.Crypto;
using Portal.Storage;

namespace Portal.Elevation;

internal enum RevokeOutcome
{
    Revoked,
    NotFound,
    AlreadyUsed,
}
