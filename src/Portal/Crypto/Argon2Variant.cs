using System.Globalization;

namespace Portal.Crypto;

internal enum Argon2Variant
{
    Argon2id,
    Argon2i,
    Argon2d,
}
