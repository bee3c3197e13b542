namespace Portal.AccessControl;

/// <summary>
/// The access-control rules in force: one compiled <see cref="AccessControlEngine"/>, replaced whole when the
/// configuration is reloaded. A request reads <see cref="Current"/> once and decides with that engine throughout,
/// so no request is ever decided by a mix of the old and the new rules.
/// </summary>
internal sealed class AccessRules(AccessControlEngine initial)
{
    private volatile AccessControlEngine _current = initial ?? throw new ArgumentNullException(nameof(initial));

    public AccessControlEngine Current => _current;

    public void Replace(AccessControlEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _current = engine;
    }
}
