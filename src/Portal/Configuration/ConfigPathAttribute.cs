namespace Portal.Configuration;

/// <summary>
/// A file or directory path: when the configuration is loaded from a file, a relative value is resolved against that
/// (first) file's directory, so the same file works whatever directory the portal is started from.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ConfigPathAttribute : Attribute;
