using System.Globalization;
using Portal.Configuration;
using Portal.Crypto;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Users;

/// <summary>
/// Reads Authelia's <c>users_database.yml</c>:
/// <code>
/// users:
///   john:
///     displayname: John Doe          # required
///     password: $argon2id$...        # required, a digest
///     email: john@example.com        # a string or a list
///     emails: [j@example.com]        # optional, merged with email
///     groups: [admins, dev]
///     disabled: false
/// </code>
/// Other per-user keys Authelia knows (given_name, locale, ...) are accepted and ignored. Problems are returned,
/// never thrown, and the whole file is checked so an admin sees every mistake at once.
/// </summary>
internal static class UsersFile
{
    public static UsersFileLoadResult Load(string path, FileSearchOptions search)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : e.Message;
            return new UsersFileLoadResult(null, [$"users file '{path}': {reason}"]);
        }
        return Parse(text, path, search);
    }

    /// <param name="source">the file name, used to prefix error messages</param>
    public static UsersFileLoadResult Parse(string yaml, string source, FileSearchOptions search)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(search);
        var errors = new List<string>();
        var prefix = $"users file '{source}'";

        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            var message = e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;
            return Fail($"{prefix}: line {e.Start.Line}, column {e.Start.Column}: invalid YAML: {message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (with no position) on some unterminated constructs, e.g. an unclosed
            // '[' at the end of the file; the last event parsed is the closest position we can give.
            var line = parser.Current?.End.Line ?? 1;
            return Fail($"{prefix}: line {line}: invalid YAML: unexpected end of a flow collection or quoted value");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return Fail($"{prefix}: expected a mapping with a 'users' key");
        }
        if (!root.Children.TryGetValue(new YamlScalarNode("users"), out var usersNode) || usersNode is not YamlMappingNode usersMap)
        {
            return Fail($"{prefix}: expected a 'users' key holding a mapping of username to user");
        }

        var users = new List<UserEntry>();
        foreach (var (keyNode, valueNode) in usersMap.Children)
        {
            var username = (keyNode as YamlScalarNode)?.Value;
            var where = $"{prefix}: line {keyNode.Start.Line}: user '{username}'";
            if (string.IsNullOrWhiteSpace(username))
            {
                errors.Add($"{prefix}: line {keyNode.Start.Line}: a username must be a non-empty string");
                continue;
            }
            if (username.Trim() != username)
            {
                // Logins are trimmed before lookup, so such a user could never log in.
                errors.Add($"{where}: the username has leading or trailing whitespace");
                continue;
            }
            if (valueNode is not YamlMappingNode fields)
            {
                errors.Add($"{where}: expected a mapping of options");
                continue;
            }
            if (ParseUser(username, fields, where, errors) is { } user)
            {
                users.Add(user);
            }
        }

        if (users.Count == 0 && errors.Count == 0)
        {
            errors.Add($"{prefix}: no users are defined");
        }
        CheckClashes(users, search, prefix, errors);
        return errors.Count > 0
            ? new UsersFileLoadResult(null, errors)
            : new UsersFileLoadResult(new UsersDatabase(users, search.CaseInsensitive, search.Email), []);

        static UsersFileLoadResult Fail(string error) => new(null, [error]);
    }

    private static UserEntry? ParseUser(string username, YamlMappingNode fields, string where, List<string> errors)
    {
        var before = errors.Count;
        var displayName = Scalar(fields, "displayname", where, errors);
        var password = Scalar(fields, "password", where, errors);
        var emails = List(fields, "email", where, errors).Concat(List(fields, "emails", where, errors))
            .Select(e => e.Trim())
            .Where(e => e.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var groups = List(fields, "groups", where, errors).Distinct(StringComparer.Ordinal).ToList();
        var disabled = false;
        if (Scalar(fields, "disabled", where, errors) is { } disabledText && !bool.TryParse(disabledText, out disabled))
        {
            errors.Add($"{where}: option 'disabled' must be true or false");
        }

        if (string.IsNullOrWhiteSpace(displayName))
        {
            errors.Add($"{where}: option 'displayname' is required");
        }
        PasswordDigest? digest = null;
        if (string.IsNullOrEmpty(password))
        {
            errors.Add($"{where}: option 'password' is required");
        }
        else if (!PasswordDigest.TryParse(password, out digest, out var hashError))
        {
            errors.Add($"{where}: option 'password' is not a supported digest: {hashError}");
        }

        if (errors.Count > before || digest is null)
        {
            return null;
        }
        return new UserEntry(new UserDetails(username, displayName!, emails, groups), digest, disabled);
    }

    private static string? Scalar(YamlMappingNode fields, string key, string where, List<string> errors)
    {
        if (!fields.Children.TryGetValue(new YamlScalarNode(key), out var node) || IsNull(node))
        {
            return null;
        }
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }
        errors.Add($"{where}: option '{key}' must be a single value (line {node.Start.Line})");
        return null;
    }

    /// <summary>A list option that also accepts a single string, as Authelia does for <c>email</c>.</summary>
    private static List<string> List(YamlMappingNode fields, string key, string where, List<string> errors)
    {
        if (!fields.Children.TryGetValue(new YamlScalarNode(key), out var node) || IsNull(node))
        {
            return [];
        }
        switch (node)
        {
            case YamlScalarNode scalar:
                return [scalar.Value ?? ""];
            case YamlSequenceNode sequence when sequence.Children.All(c => c is YamlScalarNode):
                return [.. sequence.Children.Cast<YamlScalarNode>().Select(c => c.Value ?? "")];
            default:
                errors.Add($"{where}: option '{key}' must be a string or a list of strings (line {node.Start.Line})");
                return [];
        }
    }

    // An empty value (`email:`) or an explicit null (`~`) means "not given".
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static void CheckClashes(List<UserEntry> users, FileSearchOptions search, string prefix, List<string> errors)
    {
        var enabled = users.Where(u => !u.Disabled).ToList();
        if (search.CaseInsensitive)
        {
            foreach (var group in enabled.GroupBy(u => u.Details.Username, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                errors.Add($"{prefix}: users {Names(group)} differ only in case, which 'search.case_insensitive' cannot tell apart");
            }
        }
        if (search.Email)
        {
            var byEmail = enabled
                .SelectMany(u => u.Details.Emails.Select(e => (Email: e, User: u)))
                .GroupBy(x => x.Email, StringComparer.OrdinalIgnoreCase);
            foreach (var group in byEmail)
            {
                var owners = group.Select(x => x.User).Distinct().ToList();
                if (owners.Count > 1)
                {
                    errors.Add($"{prefix}: email '{group.Key}' belongs to users {Names(owners)}; with 'search.email' it must be unique");
                }
                var clash = enabled.FirstOrDefault(u => !owners.Contains(u)
                    && string.Equals(u.Details.Username, group.Key, StringComparison.OrdinalIgnoreCase));
                if (clash is not null)
                {
                    errors.Add($"{prefix}: email '{group.Key}' of user {Names(owners)} is also the username of user '{clash.Details.Username}'");
                }
            }
        }

        static string Names(IEnumerable<UserEntry> group) =>
            string.Join(", ", group.Select(u => string.Create(CultureInfo.InvariantCulture, $"'{u.Details.Username}'")));
    }
}
