namespace Portal.Authorization;

/// <summary>
/// The outcome of the access-control rules for one request.
/// </summary>
/// <param name="Policy">the policy to enforce</param>
/// <param name="Rule">1-based number of the rule that applied; null when <c>default_policy</c> applied</param>
/// <param name="Potential">
/// the subject is anonymous and the rule has subject criteria, so it was chosen without knowing who the user is:
/// callers must ask the user to log in (even for <c>deny</c>) and decide again afterwards
/// </param>
/// <param name="HasSubject">
/// the rule has subject criteria (<c>subject</c>, a <c>{user}</c>/<c>{group}</c> domain, or a User/Group named group in
/// <c>domain_regex</c> or <c>resources</c>)
/// </param>
/// <param name="PasskeyUv">
/// the rule's <c>passkey_uv_two_factor</c>; <see cref="PasskeyUvTwoFactor.Global"/> for <c>default_policy</c>. Only data:
/// the session is compared with the rule by <c>AuthzDecision.Evaluate</c>.
/// </param>
internal sealed record AccessDecision(Policy Policy, int? Rule, bool Potential, bool HasSubject, PasskeyUvTwoFactor PasskeyUv = PasskeyUvTwoFactor.Global);

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
