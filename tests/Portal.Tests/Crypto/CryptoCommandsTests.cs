using System.Text.RegularExpressions;
using Portal.Cli;
using Portal.Crypto;

namespace Portal.Tests.Crypto;

public sealed class CryptoCommandsTests
{
    private static readonly string[] CheapOptions = ["--iterations", "1", "--memory", "64", "--parallelism", "1"];

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["crypto", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string DigestFrom(string output) =>
        Regex.Match(output, @"^Digest: (\S+)$", RegexOptions.Multiline).Groups[1].Value;

    [Fact]
    public async Task Generate_argon2_prints_a_digest_line_that_validates()
    {
        var (code, output, _) = await RunAsync(["hash", "generate", "argon2", "--password", "s3cret", .. CheapOptions]);

        Assert.Equal(0, code);
        var digest = DigestFrom(output);
        Assert.StartsWith("$argon2id$v=19$m=64,t=1,p=1$", digest, StringComparison.Ordinal);
        Assert.True(new PasswordHasher(Argon2Parameters.Default).Verify("s3cret", digest));
    }

    [Fact]
    public async Task Generate_honours_key_and_salt_lengths_and_variant()
    {
        var (code, output, _) = await RunAsync(
            ["hash", "generate", "--password", "pw", "--variant", "argon2i", "--key-length", "16", "--salt-length", "8", .. CheapOptions]);

        Assert.Equal(0, code);
        Assert.Matches(new Regex(@"^\$argon2i\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{11}\$[A-Za-z0-9+/]{22}$"), DigestFrom(output));
    }

    [Fact]
    public async Task Generate_with_random_prints_the_password_it_hashed()
    {
        var (code, output, _) = await RunAsync(["hash", "generate", "argon2", "--random", .. CheapOptions]);

        Assert.Equal(0, code);
        var password = Regex.Match(output, @"^Random Password: ([A-Za-z0-9]{72})$", RegexOptions.Multiline).Groups[1].Value;
        Assert.NotEqual("", password);
        Assert.True(new PasswordHasher(Argon2Parameters.Default).Verify(password, DigestFrom(output)));
    }

    [Theory]
    [InlineData(new[] { "hash", "generate", "argon2" }, "--password or --random")]
    [InlineData(new[] { "hash", "generate", "argon2", "--password", "a", "--random" }, "--password or --random")]
    [InlineData(new[] { "hash", "generate", "bcrypt", "--password", "a" }, "unsupported algorithm 'bcrypt'")]
    [InlineData(new[] { "hash", "generate", "argon2", "--password", "a", "--iterations", "three" }, "--iterations must be a positive whole number")]
    [InlineData(new[] { "hash", "generate", "argon2", "--password", "a", "--memory", "16", "--parallelism", "4" }, "option 'memory' must be between 32")]
    [InlineData(new[] { "hash", "generate", "argon2", "--password", "a", "--variant", "argon3" }, "unknown variant 'argon3'")]
    [InlineData(new[] { "hash", "generate", "argon2", "--password", "" }, "must not be empty")]
    [InlineData(new[] { "hash", "generate", "argon2", "--pasword", "a" }, "unknown option --pasword")]
    [InlineData(new[] { "hash", "validate", "--password", "a" }, "give the digest to check")]
    [InlineData(new[] { "hash", "validate", "--", "$argon2id$x" }, "option --password is required")]
    [InlineData(new[] { "hash", "frobnicate" }, "unknown command 'crypto hash frobnicate'")]
    [InlineData(new[] { "hash" }, "needs a subcommand")]
    [InlineData(new string[0], "needs a subcommand")]
    [InlineData(new[] { "rand", "--length", "0" }, "--length must be a positive whole number")]
    [InlineData(new[] { "rand", "--charset", "emoji" }, "unknown charset 'emoji'")]
    [InlineData(new[] { "rand", "--charset", "numeric", "--characters", "ab" }, "not both")]
    [InlineData(new[] { "rand", "--characters", "aaaa" }, "between 2 and 256 distinct")]
    public async Task Bad_arguments_exit_1_with_an_error_line(string[] args, string message)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.StartsWith("Error: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReferenceVectors.Argon2idCheap)]
    [InlineData(ReferenceVectors.Sha512CryptDefaultRounds)]
    [InlineData(ReferenceVectors.Pbkdf2Sha512)]
    public async Task Validate_reports_a_match_with_exit_0(string digest)
    {
        var (code, output, error) = await RunAsync("hash", "validate", "--password", "password", "--", digest);

        Assert.Equal(0, code);
        Assert.Equal("The password matches the digest." + Environment.NewLine, output);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Validate_reports_a_mismatch_with_exit_1()
    {
        var (code, output, _) = await RunAsync("hash", "validate", "--password", "wrong", "--", ReferenceVectors.Argon2idCheap);

        Assert.Equal(1, code);
        Assert.Equal("The password does not match the digest." + Environment.NewLine, output);
    }

    [Fact]
    public async Task Validate_explains_a_malformed_digest_with_exit_1()
    {
        var (code, output, error) = await RunAsync("hash", "validate", "--password", "password", "--", "$argon2id$v=19$m=64");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("Error: the digest is not valid: argon2 digest must have the form", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rand_defaults_to_72_alphanumeric_characters()
    {
        var (code, output, _) = await RunAsync("rand");

        Assert.Equal(0, code);
        Assert.Matches(new Regex(@"^Random Value: [A-Za-z0-9]{72}\r?\n$"), output);
    }

    [Theory]
    [InlineData("numeric-hex", "^[0-9a-f]{40}$")]
    [InlineData("numeric", "^[0-9]{40}$")]
    [InlineData("rfc3986", @"^[A-Za-z0-9\-._~]{40}$")]
    [InlineData("ascii", @"^[!-~]{40}$")]
    public async Task Rand_uses_the_requested_charset_and_length(string charset, string pattern)
    {
        var (code, output, _) = await RunAsync("rand", "--length", "40", "--charset", charset);

        Assert.Equal(0, code);
        Assert.Matches(new Regex(pattern), output.Trim()["Random Value: ".Length..]);
    }

    [Fact]
    public async Task Rand_accepts_a_custom_character_set()
    {
        var (code, output, _) = await RunAsync("rand", "--length", "30", "--characters", "xy");

        Assert.Equal(0, code);
        Assert.Matches(new Regex("^Random Value: [xy]{30}$"), output.Trim());
    }
}
