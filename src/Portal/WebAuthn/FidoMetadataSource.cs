using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portal.Configuration;

namespace Portal.WebAuthn;

/// <summary>
/// Loads the MDS3 blob from <c>metadata.path</c> (re-read when the file changes), or downloads it from
/// <c>metadata.url</c> when it is due (its <c>nextUpdate</c>), keeping a copy in <c>metadata.cache_path</c>. A blob is
/// only used once its signature verified against the root. When a download fails the last verified blob stays in use
/// (logged); with none at all, callers refuse (fail closed).
/// </summary>
internal sealed partial class FidoMetadataSource(
    WebAuthnMetadataOptions options, TimeProvider time, ILogger<FidoMetadataSource> logger, HttpMessageHandler? handler = null) : IFidoMetadata, IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };
    private FidoMetadataBlob? _blob;
    private DateTime _fileStamp;
    private DateTimeOffset _nextAttempt;

    public async Task<(FidoMetadataBlob? Blob, string Error)> GetAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return options.Path.Length > 0 ? LoadFile() : await LoadDownloadedAsync(cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _lock.Dispose();
        _http.Dispose();
    }

    /// <summary>The root the blob's chain must lead to: the configured PEM file, or the built-in FIDO Alliance root.</summary>
    public static X509Certificate2 LoadRoot(string rootCertificatePath)
    {
        ArgumentNullException.ThrowIfNull(rootCertificatePath);
        if (rootCertificatePath.Length > 0)
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(rootCertificatePath));
        }
        using var stream = typeof(FidoMetadataSource).Assembly.GetManifestResourceStream("Portal.WebAuthn.FidoMetadataRoot.pem")
            ?? throw new InvalidOperationException("the built-in FIDO metadata root is missing from the build");
        using var reader = new StreamReader(stream);
        return X509Certificate2.CreateFromPem(reader.ReadToEnd());
    }

    /// <summary>Reads and verifies a blob file (validate-config and the CLI use this too).</summary>
    public static FidoMetadataBlob? ReadFile(string path, string rootCertificatePath, DateTimeOffset now, out string error)
    {
        try
        {
            using var root = LoadRoot(rootCertificatePath);
            return FidoMetadataBlob.Parse(File.ReadAllText(path), root, now, out error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            error = e.Message;
            return null;
        }
    }

    private (FidoMetadataBlob?, string) LoadFile()
    {
        DateTime stamp;
        try
        {
            stamp = File.GetLastWriteTimeUtc(options.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, e.Message);
        }
        if (_blob is not null && stamp == _fileStamp)
        {
            return (_blob, "");
        }
        var blob = ReadFile(options.Path, options.RootCertificate, time.GetUtcNow(), out var error);
        if (blob is null)
        {
            LogUnusable(logger, options.Path, error);
            // A bad replacement file does not undo a good blob already verified: keep using it, and say so.
            return _blob is null ? (null, $"{options.Path}: {error}") : (_blob, "");
        }
        (_blob, _fileStamp) = (blob, stamp);
        LogLoaded(logger, options.Path, blob.Number, blob.Payload.Entries?.Length ?? 0);
        return (_blob, "");
    }

    private async Task<(FidoMetadataBlob?, string)> LoadDownloadedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_blob is null && options.CachePath.Length > 0 && File.Exists(options.CachePath))
        {
            _blob = ReadFile(options.CachePath, options.RootCertificate, now, out var cacheError);
            if (_blob is null)
            {
                LogUnusable(logger, options.CachePath, cacheError);
            }
        }
        if (_blob is not null && (_blob.NextUpdate is not { } next || next > now))
        {
            return (_blob, "");
        }
        if (now < _nextAttempt)
        {
            return _blob is null ? (null, "the FIDO metadata download failed recently; retrying later") : (_blob, "");
        }
        _nextAttempt = now.AddMinutes(5);
        try
        {
            var jwt = await _http.GetStringAsync(new Uri(options.Url), cancellationToken);
            using var root = LoadRoot(options.RootCertificate);
            var blob = FidoMetadataBlob.Parse(jwt, root, now, out var error);
            if (blob is null)
            {
                LogUnusable(logger, options.Url, error);
                return _blob is null ? (null, $"{options.Url}: {error}") : (_blob, "");
            }
            if (options.CachePath.Length > 0)
            {
                await File.WriteAllTextAsync(options.CachePath, jwt, cancellationToken);
            }
            _blob = blob;
            LogLoaded(logger, options.Url, blob.Number, blob.Payload.Entries?.Length ?? 0);
            return (_blob, "");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or UnauthorizedAccessException or CryptographicException or UriFormatException)
        {
            LogUnusable(logger, options.Url, e.Message);
            return _blob is null ? (null, $"{options.Url}: {e.Message}") : (_blob, "");
        }
    }

    [LoggerMessage(EventId = 1530, Level = LogLevel.Information, Message = "FIDO metadata loaded from {Source}: blob {Number}, {Entries} entries")]
    private static partial void LogLoaded(ILogger logger, string source, int number, int entries);

    [LoggerMessage(EventId = 1531, Level = LogLevel.Error, Message = "FIDO metadata from {Source} is not usable: {Error}")]
    private static partial void LogUnusable(ILogger logger, string source, string error);
}
