using System.Globalization;
using Portal.Configuration;
using Portal.Crypto;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Users;

/// <summary>The outcome of reading a users file: a database when there were no errors, otherwise every error found.</summary>
internal sealed record UsersFileLoadResult(UsersDatabase? Database, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Database is not null;
}
