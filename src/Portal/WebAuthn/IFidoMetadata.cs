namespace Portal.WebAuthn;

/// <summary>The current, verified FIDO MDS3 blob (<c>webauthn.metadata</c>).</summary>
internal interface IFidoMetadata
{
    /// <summary>The blob, or null (and <paramref name="error"/>) when none could be loaded and verified: callers refuse then.</summary>
    Task<(FidoMetadataBlob? Blob, string Error)> GetAsync(CancellationToken cancellationToken = default);
}
