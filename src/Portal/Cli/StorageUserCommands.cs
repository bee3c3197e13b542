using System.Globalization;
using System.Text;
using Portal.Storage;
using Portal.Storage.Stores;
using Portal.WebAuthn;

namespace Portal.Cli;

/// <summary>
/// <c>portal storage user webauthn list|delete|export|import</c>, in the shape of Authelia's commands of the same
/// names: an admin removes the key of a user who lost it, or moves every credential to another install (the file is
/// <see cref="WebAuthnExportFile"/>). They run on the configured database while portal serves from it: each change is
/// the store's own transaction.
/// </summary>
internal static class StorageUserCommands
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) => args switch
    {
        ["webauthn", "list", .. var rest] => await WithStoreAsync(rest, ["config", "user"], [], stderr, (a, s) => ListAsync(a, s, stdout)),
        ["webauthn", "delete", .. var rest] => await WithStoreAsync(rest, ["config", "user", "description", "kid"], ["all"], stderr, (a, s) => DeleteAsync(a, s, stdout, stderr)),
        ["webauthn", "export", .. var rest] => await WithStoreAsync(rest, ["config", "file"], [], stderr, (a, s) => ExportAsync(a, s, stdout)),
        ["webauthn", "import", .. var rest] => await WithStoreAsync(rest, ["config", "file"], [], stderr, (a, s) => ImportAsync(a, s, stdout, stderr), filePositional: true),
        _ => throw new CliUsageException("expected 'storage user webauthn list|delete|export|import'"),
    };

    /// <param name="filePositional">the file may also be given as Authelia takes it, <c>import FILE</c>, for <c>--file</c></param>
    private static async Task<int> WithStoreAsync(string[] args, string[] values, string[] flags, TextWriter stderr,
        Func<CliArgs, IWebAuthnCredentialStore, Task<int>> run, bool filePositional = false)
    {
        var parsed = CliArgs.Parse(args, values, flags);
        if (filePositional && parsed.Positionals is [var file] && parsed.Value("file") is null)
        {
            parsed = CliArgs.Parse([.. args.Where(a => a != file), "--file", file], values, flags);
        }
        if (parsed.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        }
        using var database = CliStorage.Open(parsed, stderr);
        return database is null ? 1 : await run(parsed, new WebAuthnCredentialStore(database));
    }

    private static async Task<int> ListAsync(CliArgs args, IWebAuthnCredentialStore store, TextWriter stdout)
    {
        var credentials = await store.ListAllAsync(args.Value("user"));
        foreach (var c in credentials)
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{c.Id,6}  {c.Username}  {c.RpId}  '{c.Description}'  kid {Convert.ToBase64String(c.Kid)}  aaguid {c.Aaguid}  " +
                $"created {c.CreatedAt:yyyy-MM-dd HH:mm:ss}Z  last used {(c.LastUsedAt is { } used ? used.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "never")}  " +
                $"sign count {c.SignCount}{(c.Discoverable ? "  passkey" : "")}{(c.CloneWarning ? "  CLONE WARNING" : "")}"));
        }
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{credentials.Count} WebAuthn credentials."));
        return 0;
    }

    private static async Task<int> DeleteAsync(CliArgs args, IWebAuthnCredentialStore store, TextWriter stdout, TextWriter stderr)
    {
        var user = args.Required("user");
        var description = args.Value("description");
        var kid = args.Value("kid");
        if ((description is null ? 0 : 1) + (kid is null ? 0 : 1) + (args.Flag("all") ? 1 : 0) != 1)
        {
            throw new CliUsageException("storage user webauthn delete needs one of --description NAME, --kid KID (base64, from 'list') or --all");
        }
        var matched = (await store.ListAllAsync(user)).Where(c =>
            args.Flag("all")
            || (description is not null && string.Equals(c.Description, description, StringComparison.OrdinalIgnoreCase))
            || (kid is not null && string.Equals(Convert.ToBase64String(c.Kid), kid, StringComparison.Ordinal))).ToList();
        if (matched.Count == 0)
        {
            return CliApp.Fail(stderr, $"no WebAuthn credential of '{user}' matches");
        }
        foreach (var c in matched)
        {
            var deleted = await store.DeleteAsync(c.RpId, c.Username, c.Id) == CredentialWriteResult.Done;
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{(deleted ? "Deleted" : "Already gone:")} credential {c.Id} '{c.Description}' of {c.Username} ({c.RpId})."));
        }
        return 0;
    }

    private static async Task<int> ExportAsync(CliArgs args, IWebAuthnCredentialStore store, TextWriter stdout)
    {
        var file = args.Value("file") ?? WebAuthnExportFile.DefaultName;
        if (File.Exists(file))
        {
            throw new CliUsageException($"--file: '{file}' exists already; choose another name");
        }
        var credentials = new List<ExportedCredential>();
        foreach (var c in await store.ListAllAsync(username: null))
        {
            credentials.Add(new ExportedCredential(c, await store.FindUserHandleAsync(c.RpId, c.Username)));
        }
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var writer = new StreamWriter(new FileStream(file, options), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            WebAuthnExportFile.Write(credentials, writer);
        }
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Exported {credentials.Count} WebAuthn credentials to {file}."));
        return 0;
    }

    private static async Task<int> ImportAsync(CliArgs args, IWebAuthnCredentialStore store, TextWriter stdout, TextWriter stderr)
    {
        var file = args.Required("file");
        if (!File.Exists(file))
        {
            throw new CliUsageException($"--file: '{file}' does not exist");
        }
        var credentials = WebAuthnExportFile.Read(await File.ReadAllTextAsync(file), out var errors);
        if (credentials is null)
        {
            // Nothing is imported from a file with a bad entry: the admin fixes it and runs the import again.
            await stderr.WriteLineAsync($"Error: {file}: nothing imported:");
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"  - {error}");
            }
            return 1;
        }
        var skipped = 0;
        foreach (var (c, handle) in credentials)
        {
            _ = handle is null
                ? await store.GetOrCreateUserHandleAsync(c.RpId, c.Username)
                : await store.ImportUserHandleAsync(c.RpId, c.Username, handle);
            var (result, id) = await store.AddAsync(c);
            if (result == CredentialWriteResult.Done)
            {
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Imported credential {id} '{c.Description}' of {c.Username} ({c.RpId})."));
                continue;
            }
            skipped++;
            await stderr.WriteLineAsync(result == CredentialWriteResult.DuplicateCredentialId
                ? $"Skipped '{c.Description}' of {c.Username} ({c.RpId}): its credential ID is registered already."
                : $"Skipped '{c.Description}' of {c.Username} ({c.RpId}): the user has a credential of that name already.");
        }
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Imported {credentials.Count - skipped} of {credentials.Count} WebAuthn credentials."));
        return skipped == 0 ? 0 : 1;
    }
}
