using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace Portal.Notification;

/// <summary>
/// The text and HTML message templates. The built-in ones are embedded; a file of the same name in
/// <c>notifier.template_path</c> (<c>IdentityVerificationOTC.txt</c>, <c>Event.html</c>, ...) replaces one. Templates use
/// Authelia's field syntax <c>{{ .Field }}</c> and nothing else: overrides are checked at startup, so a typo in a
/// field name stops the portal with the file and line instead of mailing users a broken message.
/// </summary>
internal sealed partial class NotificationTemplates
{
    public const string IdentityVerificationOtc = "IdentityVerificationOTC";
    public const string Event = "Event";
    public const string IdentityVerificationJwt = "IdentityVerificationJWT";

    /// <summary>The fields each template may use.</summary>
    public static readonly FrozenDictionary<string, FrozenSet<string>> Fields = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal)
    {
        [IdentityVerificationOtc] = FrozenSet.Create(StringComparer.Ordinal, "Title", "DisplayName", "Domain", "OneTimeCode", "RevocationLinkURL", "RevocationLinkText", "RemoteIP"),
        [Event] = FrozenSet.Create(StringComparer.Ordinal, "Title", "DisplayName", "Domain", "Event", "Details", "Date", "RemoteIP"),
        [IdentityVerificationJwt] = FrozenSet.Create(StringComparer.Ordinal, "Title", "DisplayName", "Domain", "LinkURL", "LinkText", "Lifespan", "RemoteIP"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly string[] Extensions = [".txt", ".html"];

    private readonly FrozenDictionary<string, string> _templates;

    private NotificationTemplates(FrozenDictionary<string, string> templates) => _templates = templates;

    /// <summary>The names of the overrides that were loaded from the template folder (for the startup log).</summary>
    public IReadOnlyList<string> Overridden { get; private init; } = [];

    /// <param name="templatePath"><c>notifier.template_path</c>; empty for the built-in templates only</param>
    /// <exception cref="NotificationException">an override cannot be read or uses an unknown field</exception>
    public static NotificationTemplates Load(string templatePath)
    {
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        var overridden = new List<string>();
        foreach (var (name, fields) in Fields)
        {
            foreach (var extension in Extensions)
            {
                var file = name + extension;
                var text = ReadEmbedded(file);
                var overridePath = templatePath.Length > 0 ? Path.Combine(templatePath, file) : "";
                if (overridePath.Length > 0 && File.Exists(overridePath))
                {
                    try
                    {
                        text = File.ReadAllText(overridePath);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw new NotificationException($"notifier: template_path: cannot read '{overridePath}': {e.Message}", e);
                    }
                    var problem = Check(text, fields);
                    if (problem is not null)
                    {
                        throw new NotificationException($"notifier: template_path: '{overridePath}': {problem}");
                    }
                    overridden.Add(file);
                }
                templates[file] = text;
            }
        }
        return new NotificationTemplates(templates.ToFrozenDictionary(StringComparer.Ordinal)) { Overridden = overridden };
    }

    /// <summary>Renders <paramref name="name"/> with <paramref name="values"/>; HTML values are HTML-encoded.</summary>
    public RenderedMessage Render(string name, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!Fields.TryGetValue(name, out var fields))
        {
            throw new ArgumentException($"unknown template '{name}'", nameof(name));
        }
        foreach (var key in values.Keys)
        {
            if (!fields.Contains(key))
            {
                throw new ArgumentException($"template '{name}' has no field '{key}'", nameof(values));
            }
        }
        var subject = values.TryGetValue("Title", out var title) ? title : "";
        return new RenderedMessage(
            subject,
            Substitute(_templates[name + ".txt"], values, static v => v),
            Substitute(_templates[name + ".html"], values, HtmlEncoder.Default.Encode));
    }

    /// <summary>Why <paramref name="text"/> is not a usable template, or null.</summary>
    internal static string? Check(string text, FrozenSet<string> fields)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fields);
        var index = text.IndexOf("{{", StringComparison.Ordinal);
        while (index >= 0)
        {
            var match = Field().Match(text, index);
            if (!match.Success || match.Index != index)
            {
                return $"line {LineOf(text, index)}: only '{{{{ .Field }}}}' is supported (no conditions, loops or functions)";
            }
            var name = match.Groups["name"].Value;
            if (!fields.Contains(name))
            {
                return $"line {LineOf(text, index)}: unknown field '{name}' (known: {string.Join(", ", fields.Order(StringComparer.Ordinal))})";
            }
            index = text.IndexOf("{{", match.Index + match.Length, StringComparison.Ordinal);
        }
        return null;
    }

    private static string Substitute(string template, IReadOnlyDictionary<string, string> values, Func<string, string> encode) =>
        Field().Replace(template, match => values.TryGetValue(match.Groups["name"].Value, out var value) ? encode(value) : "");

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    private static string ReadEmbedded(string file)
    {
        var assembly = typeof(NotificationTemplates).Assembly;
        using var stream = assembly.GetManifestResourceStream("Portal.Notification.Templates." + file)
            ?? throw new InvalidOperationException($"missing embedded template '{file}'");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\{\{-?\s*\.?(?<name>[A-Za-z][A-Za-z0-9]*)\s*-?\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Field();

    internal static string FormatDate(DateTimeOffset date) => date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
