using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Session;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UserSession))]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
