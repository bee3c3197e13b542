namespace Portal.Configuration;

/// <summary>
/// The values a string option (or each item of a list of strings) may take, for the JSON Schema editors read. The
/// section's validator stays the judge; a test checks that it accepts every value listed here and refuses others,
/// so the two cannot drift apart.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ConfigValuesAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}
