namespace Portal.Storage;

/// <summary>
/// A whole table in engine-neutral values, as <c>portal storage copy</c> moves it: integers and booleans as
/// <see cref="long"/> (booleans 0/1), text as <see cref="string"/>, blobs as <see cref="byte"/>[], NULL as null.
/// Secret columns stay ciphertext: both ends must hold the same encryption key.
/// </summary>
internal sealed record StorageTable(string Name, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);
