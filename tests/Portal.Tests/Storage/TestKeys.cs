namespace Portal.Tests.Storage;

internal static class TestKeys
{
    public const string Key = "a-test-encryption-key-of-decent-length";
    public const string OtherKey = "another-test-encryption-key-entirely";
}
