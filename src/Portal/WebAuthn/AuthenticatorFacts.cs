using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Text.Json;

namespace Portal.WebAuthn;

/// <summary>The parts of authenticatorData the portal's policy reads (WebAuthn §6.1).</summary>
internal readonly record struct AuthenticatorFacts(bool UserPresent, bool UserVerified, bool BackupEligible, bool BackedUp, uint SignCount, Guid Aaguid);
