namespace Portal.AccessControl;

/// <summary>How one rule fared against a request, for <c>portal access-control check-policy</c>.</summary>
/// <param name="Rule">1-based rule number</param>
/// <param name="Policy">the rule's policy</param>
/// <param name="Matched">every criterion matched (possibly only potentially, see <paramref name="Potential"/>)</param>
/// <param name="Potential">matched only because the subject is anonymous</param>
/// <param name="FailedCriterion">the first criterion that did not match (<c>domain</c>, <c>resources</c>, ...), else null</param>
/// <param name="PasskeyUv">the rule's <c>passkey_uv_two_factor</c></param>
internal sealed record RuleExplanation(int Rule, Policy Policy, bool Matched, bool Potential, string? FailedCriterion,
    PasskeyUvTwoFactor PasskeyUv = PasskeyUvTwoFactor.Global)
{
    /// <summary>
    /// When <see cref="FailedCriterion"/> failed only because of who the user is (a <c>{user}</c>/<c>{group}</c> domain
    /// or a User/Group named group that captured someone else), what was captured; else null.
    /// </summary>
    public string? IdentityMismatch { get; init; }

    /// <summary>The rule's criteria that depend on who the user is (<c>domain</c>, <c>domain_regex</c>, <c>resources</c>, <c>subject</c>).</summary>
    public IReadOnlyList<string> SubjectCriteria { get; init; } = [];
}
