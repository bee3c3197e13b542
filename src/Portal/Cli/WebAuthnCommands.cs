using Portal.Configuration;
using Portal.WebAuthn;

namespace Portal.Cli;

/// <summary>
/// <c>portal webauthn metadata check</c>: what the FIDO metadata says about an authenticator and what the configured
/// <c>webauthn.metadata</c> checks would make of it. It reads a local blob only (<c>metadata.path</c>, the download
/// cache <c>metadata.cache_path</c>, or <c>--blob</c>), verified against the configured root; it never downloads.
/// </summary>
internal static class WebAuthnCommands
{
    private static readonly string[] ValueOptions = ["config", "aaguid", "blob"];

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, files => ConfigLoader.Load(files, ConfigLoader.ProcessEnvironment()));

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<IReadOnlyList<string>, ConfigLoadResult> load)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(load);
        try
        {
            if (args.Length < 2 || args[0] != "metadata" || args[1] != "check")
            {
                return CliApp.Fail(stderr, "webauthn needs a subcommand: metadata check");
            }
            var cli = CliArgs.Parse(args[2..], ValueOptions, []);
            if (cli.Positionals.Count > 0)
            {
                throw new CliUsageException($"unexpected argument '{cli.Positionals[0]}'");
            }
            if (!Guid.TryParse(cli.Required("aaguid"), out var aaguid))
            {
                throw new CliUsageException("option --aaguid: not an AAGUID such as 'cb69481e-8ff7-4039-93ec-0a2729a154a8'");
            }
            var configs = cli.Values("config");
            if (configs.Count == 0)
            {
                throw new CliUsageException("option --config is required");
            }
            var loaded = load(configs);
            if (!loaded.IsValid)
            {
                stderr.WriteLine("Error: the configuration is invalid:");
                foreach (var error in loaded.Diagnostics.Errors)
                {
                    stderr.WriteLine($"  - {error}");
                }
                return 1;
            }
            var metadata = loaded.Options.WebAuthn.Metadata;
            var file = cli.Value("blob") ?? (metadata.Path.Length > 0 ? metadata.Path : metadata.CachePath);
            if (string.IsNullOrEmpty(file))
            {
                return CliApp.Fail(stderr, "no local metadata blob: set webauthn.metadata.path (or cache_path, filled by serve), or give --blob FILE");
            }
            var blob = FidoMetadataSource.ReadFile(file, metadata.RootCertificate, DateTimeOffset.UtcNow, out var blobError);
            if (blob is null)
            {
                return CliApp.Fail(stderr, $"{file}: {blobError}");
            }
            if (!metadata.Enabled)
            {
                stdout.WriteLine("note: webauthn.metadata.enabled is false, so serve does not apply any of this");
            }
            foreach (var line in AuthenticatorPolicy.Explain(blob, aaguid, metadata))
            {
                stdout.WriteLine(line);
            }
            return 0;
        }
        catch (CliUsageException e)
        {
            return CliApp.Fail(stderr, e.Message);
        }
    }
}
