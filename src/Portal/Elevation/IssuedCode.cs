namespace Portal.Elevation;

/// <summary>A code that was just issued; <see cref="Code"/> exists only in memory and in the email.</summary>
internal sealed record IssuedCode(Guid PublicId, string Code, DateTimeOffset Expires)
{
    /// <summary>The public id as it appears in the revoke link and the POST answer: base64url of its 16 bytes.</summary>
    public string DeleteId => OneTimeCodes.EncodePublicId(PublicId);
}
