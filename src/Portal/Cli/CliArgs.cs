namespace Portal.Cli;

/// <summary>
/// A small, strict argument reader: <c>--name value</c> and <c>--name=value</c> options, flags, repeated options,
/// and everything after <c>--</c> as positionals. Unknown options are errors, never ignored.
/// </summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    /// <param name="args">the arguments after the command words</param>
    /// <param name="valueOptions">options that take a value, without the leading dashes</param>
    /// <param name="flagOptions">options that take no value</param>
    public static CliArgs Parse(IReadOnlyList<string> args, IEnumerable<string> valueOptions, IEnumerable<string>? flagOptions = null)
    {
        var values = valueOptions.ToHashSet(StringComparer.Ordinal);
        var flags = (flagOptions ?? []).ToHashSet(StringComparer.Ordinal);
        var parsed = new CliArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                parsed.Positionals.AddRange(args.Skip(i + 1));
                break;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                parsed.Positionals.Add(arg);
                continue;
            }
            var name = arg[2..];
            string? inline = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }
            if (flags.Contains(name) && inline is null)
            {
                parsed._flags.Add(name);
            }
            else if (values.Contains(name))
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new CliUsageException($"option --{name} needs a value"));
                if (!parsed._options.TryGetValue(name, out var list))
                {
                    parsed._options[name] = list = [];
                }
                list.Add(value);
            }
            else
            {
                throw new CliUsageException($"unknown option --{name}");
            }
        }
        return parsed;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? Value(string name) => _options.TryGetValue(name, out var list) ? list[^1] : null;

    public string Required(string name) => Value(name) ?? throw new CliUsageException($"option --{name} is required");

    public IReadOnlyList<string> Values(string name) => _options.TryGetValue(name, out var list) ? list : [];
}
