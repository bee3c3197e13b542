namespace Portal.Storage;

/// <summary>One encrypted column (<c>table.column</c>): how many values it holds and how many of them do not decrypt.</summary>
internal sealed record EncryptedValues(string Column, int Count, int Unreadable);
