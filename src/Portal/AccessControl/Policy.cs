namespace Portal.AccessControl;

/// <summary>What a request needs before it may pass. Ordered from most permissive to least.</summary>
internal enum Policy
{
    Bypass,
    OneFactor,
    TwoFactor,
    Deny,
}
