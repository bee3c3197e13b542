using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Configuration;

internal sealed record ConfigEntry(ConfigNode Value, int? KeyLine);
