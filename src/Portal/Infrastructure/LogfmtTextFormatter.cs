using System.Globalization;
using System.Text;
using Portal.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Portal.Infrastructure;

/// <summary>
/// The text format, one line per event: <c>time="…" level=… msg="…"</c>, plus <c>error="…"</c> with the exception.
/// Messages carry client text (usernames, <c>rd</c>, hosts, paths) and framework text with quotes in it, so the
/// quoted values are escaped as a whole: no value can end its quotes, start a line or fake a <c>level=</c> field.
/// </summary>
internal sealed class LogfmtTextFormatter : ITextFormatter
{
    private readonly MessageTemplateTextFormatter _prefix = new("time=\"{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz}\" level={Level:l}", CultureInfo.InvariantCulture);
    private readonly MessageTemplateTextFormatter _message = new("{Message:l}", CultureInfo.InvariantCulture);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        _prefix.Format(logEvent, output);
        using var message = new StringWriter(CultureInfo.InvariantCulture);
        _message.Format(logEvent, message);
        output.Write(" msg=\"");
        output.Write(Escape(message.ToString()));
        output.Write('"');
        if (logEvent.Exception is { } exception)
        {
            output.Write(" error=\"");
            output.Write(Escape(exception.ToString()));
            output.Write('"');
        }
        output.Write('\n');
    }

    /// <summary>
    /// Backslash and quote escaped; line breaks, tabs, other C0/C1 controls, U+2028/U+2029 and bidirectional
    /// controls (which reorder what a terminal shows) written as escapes.
    /// </summary>
    internal static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(NeedsEscape))
        {
            return value;
        }
        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '"': builder.Append("\\\""); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                default:
                    if (NeedsEscape(c))
                    {
                        builder.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        return builder.ToString();
    }

    private static bool NeedsEscape(char c) =>
        c is '\\' or '"' or '\u2028' or '\u2029' or '\u061c' or '\u200e' or '\u200f' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069')
        || char.IsControl(c);
}
