using System.Text.Json.Serialization;

namespace Portal.Infrastructure;

/// <summary>What <c>/api/health</c> adds when something needs the admin's attention.</summary>
internal sealed record HealthData([property: JsonPropertyName("config_reload")] ConfigReloadStatus ConfigReload);
