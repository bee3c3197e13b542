using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Text.Json;

namespace Portal.WebAuthn;

/// <summary>What a registration response says besides the key: the statement format and the client's extras.</summary>
internal sealed record AttestationFacts(string Format, string Type, AuthenticatorFacts Authenticator);
