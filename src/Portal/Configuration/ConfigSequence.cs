using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Configuration;

internal sealed class ConfigSequence : ConfigNode
{
    public List<ConfigNode> Items { get; } = [];
    public override string Kind => "a list";
}
