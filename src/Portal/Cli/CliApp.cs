namespace Portal.Cli;

/// <summary>The <c>portal</c> executable: one binary, one subcommand per verb.</summary>
internal static class CliApp
{
    public const string Usage = """
        Usage: portal <command> [options]

        Commands:
          demo [--port 9080] [--state-dir .portal/demo]
                                                  try it: portal, gateway and a protected demo app on
                                                  http://app.demo.localhost:9080/ (user demo, password portal-demo)
          serve --config FILE                     run the portal (and the gateway when configured)
          gateway --config FILE                   run the gateway alone, asking the portal at gateway.portal_url
          validate-config --config FILE           check a configuration file and list every error
          config schema                           print the configuration's JSON Schema (config.schema.json),
                                                  for editors that complete and check YAML
          access-control check-policy --config FILE --url URL [--method GET] [--username U]
                                      [--groups a,b] [--ip ADDR] [--factors password,passkey-uv] [--json]
                                                  explain which access-control rule applies to a request and,
                                                  with --factors (password, totp, passkey, passkey-uv,
                                                  security-key, security-key-uv), whether that session passes
          webauthn metadata check --config FILE --aaguid AAGUID [--blob FILE]
                                                  explain what the FIDO metadata (a local MDS3 blob) says about
                                                  an authenticator and whether registration would accept it
          sessions list --config FILE --user U    list a user's signed-in sessions (session.redis)
          sessions revoke --config FILE --user U (--session HANDLE ... | --all)
                                                  end some or all of a user's sessions on every node
          crypto hash generate argon2 --password P
                                                  print an argon2id PHC hash (Authelia's default parameters)
          crypto hash validate --password P -- HASH
                                                  check a password against a hash
          crypto rand [--length 72] [--charset alphanumeric|ascii|alphabetic|numeric|numeric-hex|rfc3986]
                                                  print a random secret
          storage migrate list|history --config FILE
                                                  the schema migrations: compiled in (applied or pending), or
                                                  as recorded in the database
          storage migrate up [--target N] --config FILE
          storage migrate down --target N --destroy-data --config FILE
                                                  move the schema up, or back down (deleting the data of what
                                                  is undone); stop every node first
          storage copy --config FILE --from local --to postgres --local-path DB.sqlite3
                                                  copy every row of a SQLite database into the configured empty
                                                  PostgreSQL (or back, --from postgres --to local), same key
          healthcheck [--url URL] [--config FILE] exit 0 when the portal's /api/health answers 200, else 1
                                                  (default URL from server.address; for container health checks)
          help                                    show this text

        --config may be given more than once; later files override earlier ones.
        Environment: PORTAL_<KEY_PATH> overrides a key (PORTAL_SESSION_SECRET), PORTAL_<KEY_PATH>_FILE reads it from a file.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
            return args.Length == 0 ? 1 : 0;
        }

        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "validate-config" => ValidateConfigCommand.Run(rest, stdout, stderr),
                "config" => ConfigCommands.Run(rest, stdout),
                "access-control" => AccessControlCommands.Run(rest, stdout, stderr),
                "crypto" => CryptoCommands.Run(rest, stdout, stderr),
                "webauthn" => WebAuthnCommands.Run(rest, stdout, stderr),
                "sessions" => await SessionsCommands.RunAsync(rest, stdout, stderr).ConfigureAwait(false),
                "serve" => await ServeCommand.RunAsync(rest, stdout, stderr).ConfigureAwait(false),
                "healthcheck" => await HealthcheckCommand.RunAsync(rest, stdout, stderr).ConfigureAwait(false),
                "gateway" => await GatewayCommand.RunAsync(rest, stdout, stderr).ConfigureAwait(false),
                "demo" => await DemoCommand.RunAsync(rest, stdout, stderr).ConfigureAwait(false),
                "storage" => await StorageCommands.RunAsync(rest, stdout, stderr).ConfigureAwait(false),
                _ => Fail(stderr, $"unknown command '{args[0]}'"),
            };
        }
        catch (CliUsageException e)
        {
            return Fail(stderr, e.Message);
        }
    }

    internal static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"Error: {message}");
        stderr.WriteLine("Run 'portal help' for usage.");
        return 1;
    }
}
