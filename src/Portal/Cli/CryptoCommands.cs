using System.Globalization;
using Portal.Crypto;

namespace Portal.Cli;

/// <summary>
/// <c>portal crypto ...</c>: the subset of Authelia's <c>authelia crypto</c> that a file-backend admin needs:
/// make a digest for the users file, check a password against one, and generate random secrets.
/// </summary>
internal static class CryptoCommands
{
    public const string Usage = """
        portal crypto hash generate [argon2] (--password P | --random) [--variant argon2id|argon2i|argon2d]
                                    [--iterations N] [--memory KiB] [--parallelism N] [--key-length N] [--salt-length N]
        portal crypto hash validate --password P -- DIGEST
        portal crypto rand [--length 72] [--charset alphanumeric|ascii|alphabetic|numeric|numeric-hex|rfc3986]
                           [--characters SET]
        """;

    private const int DefaultRandomLength = 72;
    private const int MaxRandomLength = 1 << 20;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        return args switch
        {
            ["hash", "generate", .. var rest] => Generate(rest, stdout),
            ["hash", "validate", .. var rest] => Validate(rest, stdout, stderr),
            ["rand", .. var rest] => Rand(rest, stdout),
            ["hash", var verb, ..] => throw new CliUsageException($"unknown command 'crypto hash {verb}' (expected generate or validate)"),
            ["hash"] => throw new CliUsageException("'crypto hash' needs a subcommand: generate or validate"),
            [var verb, ..] => throw new CliUsageException($"unknown command 'crypto {verb}' (expected hash or rand)"),
            [] => throw new CliUsageException("'crypto' needs a subcommand: hash or rand"),
        };
    }

    private static int Generate(string[] args, TextWriter stdout)
    {
        var parsed = CliArgs.Parse(
            args,
            ["password", "variant", "iterations", "memory", "parallelism", "key-length", "key-size", "salt-length", "salt-size"],
            ["random"]);
        // Authelia takes the algorithm as a word; argon2 is the only one we generate, and the default.
        switch (parsed.Positionals)
        {
            case []:
            case ["argon2"]:
                break;
            case [var algorithm]:
                throw new CliUsageException($"unsupported algorithm '{algorithm}': only argon2 digests can be generated");
            default:
                throw new CliUsageException("'crypto hash generate' takes at most one algorithm name");
        }

        var password = parsed.Value("password");
        var random = parsed.Flag("random");
        if (password is null == !random)
        {
            throw new CliUsageException("give exactly one of --password or --random");
        }
        if (password is { Length: 0 })
        {
            throw new CliUsageException("the password must not be empty");
        }

        var defaults = Argon2Parameters.Default;
        var variant = defaults.Variant;
        if (parsed.Value("variant") is { } variantName && !Argon2Parameters.TryParseVariant(variantName, out variant))
        {
            throw new CliUsageException($"unknown variant '{variantName}' (expected argon2id, argon2i or argon2d)");
        }
        var parameters = new Argon2Parameters(
            variant,
            IntOption(parsed, "iterations", defaults.Iterations),
            IntOption(parsed, "memory", defaults.MemoryKiB),
            IntOption(parsed, "parallelism", defaults.Parallelism),
            IntOption(parsed, "key-length", IntOption(parsed, "key-size", defaults.KeyLength)),
            IntOption(parsed, "salt-length", IntOption(parsed, "salt-size", defaults.SaltLength)));
        var errors = parameters.Validate();
        if (errors.Count > 0)
        {
            throw new CliUsageException("invalid argon2 parameters: " + string.Join("; ", errors));
        }

        if (random)
        {
            password = RandomString.Generate(DefaultRandomLength, RandomString.Alphanumeric);
            stdout.WriteLine($"Random Password: {password}");
        }
        stdout.WriteLine($"Digest: {new PasswordHasher(parameters).Hash(password!)}");
        return 0;
    }

    private static int Validate(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArgs.Parse(args, ["password"]);
        var password = parsed.Required("password");
        var digestText = parsed.Positionals switch
        {
            [var single] => single,
            [] => throw new CliUsageException("give the digest to check after '--', e.g. crypto hash validate --password P -- '$argon2id$...'"),
            _ => throw new CliUsageException("give exactly one digest (quote it so the shell keeps the '$' signs)"),
        };
        if (!PasswordDigest.TryParse(digestText, out var digest, out var error))
        {
            // Not a usage error: the arguments are well formed, the digest is not.
            stderr.WriteLine($"Error: the digest is not valid: {error}");
            return 1;
        }
        if (digest.Matches(password))
        {
            stdout.WriteLine("The password matches the digest.");
            return 0;
        }
        stdout.WriteLine("The password does not match the digest.");
        return 1;
    }

    private static int Rand(string[] args, TextWriter stdout)
    {
        var parsed = CliArgs.Parse(args, ["length", "charset", "characters"]);
        if (parsed.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        }
        var length = IntOption(parsed, "length", DefaultRandomLength);
        if (length > MaxRandomLength)
        {
            throw new CliUsageException(string.Create(CultureInfo.InvariantCulture, $"--length must be at most {MaxRandomLength}"));
        }

        string charset;
        var characters = parsed.Value("characters");
        var charsetName = parsed.Value("charset");
        if (characters is not null)
        {
            if (charsetName is not null)
            {
                throw new CliUsageException("give --charset or --characters, not both");
            }
            charset = new string([.. characters.Distinct()]);
            if (charset.Length is < 2 or > 256)
            {
                throw new CliUsageException("--characters must list between 2 and 256 distinct characters");
            }
        }
        else if (!RandomString.TryGetCharset(charsetName ?? "alphanumeric", out charset))
        {
            throw new CliUsageException(
                $"unknown charset '{charsetName}' (expected alphanumeric, ascii, alphabetic, numeric, numeric-hex or rfc3986)");
        }

        stdout.WriteLine($"Random Value: {RandomString.Generate(length, charset)}");
        return 0;
    }

    private static int IntOption(CliArgs parsed, string name, int fallback)
    {
        var text = parsed.Value(name);
        if (text is null)
        {
            return fallback;
        }
        if (!Argon2Digest.TryParsePositive(text, out var value))
        {
            throw new CliUsageException($"option --{name} must be a positive whole number, not '{text}'");
        }
        return value;
    }
}
