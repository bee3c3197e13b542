using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace Portal.Notification;

/// <summary>A message rendered from a template: the text body always, the HTML body when there is one.</summary>
internal sealed record RenderedMessage(string Subject, string Text, string Html);
