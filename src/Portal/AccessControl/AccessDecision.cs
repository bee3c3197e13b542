namespace Portal.AccessControl;

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
