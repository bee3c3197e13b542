namespace Portal.Configuration;

/// <summary>Overrides the snake_case key derived from a property name.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ConfigKeyAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
