using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Configuration;

internal sealed class ConfigScalar(string? value) : ConfigNode
{
    /// <summary>Null when the YAML value was empty or <c>null</c>.</summary>
    public string? Value { get; } = value;
    public override string Kind => "a single value";
}
