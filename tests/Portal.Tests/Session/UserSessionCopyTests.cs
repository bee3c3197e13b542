using System.Collections;
using System.Reflection;
using Portal.Session;

namespace Portal.Tests.Session;

/// <summary>
/// <see cref="UserSession.Copy"/> hands every request its own session from a store's parsed copy: it must carry every
/// property (a forgotten one would read as its default, for example a lost second factor) and share nothing mutable
/// (a request's changes must not leak into the stored copy). Both checks walk the properties by reflection, so a
/// property added later is covered without editing this test.
/// </summary>
public sealed class UserSessionCopyTests
{
    [Fact]
    public void A_copy_carries_every_property()
    {
        var original = Filled<UserSession>();

        var copy = original.Copy();

        Assert.Equal(Json(original), Json(copy));
        Assert.Same(original.StoredForm, copy.StoredForm);
    }

    [Fact]
    public void Changing_a_copy_leaves_the_original_untouched()
    {
        var original = Filled<UserSession>();
        var before = Json(original);

        Mutate(original.Copy());

        Assert.Equal(before, Json(original));
    }

    [Fact]
    public void The_filled_session_differs_from_a_default_one_in_every_property()
    {
        // Guards the two tests above: a property the filler left at its default would prove nothing.
        var filled = Filled<UserSession>();
        foreach (var property in Properties(typeof(UserSession)))
        {
            Assert.False(Equals(property.GetValue(filled), property.GetValue(new UserSession())), property.Name);
        }
    }

    private static string Json(UserSession session) => System.Text.Encoding.UTF8.GetString(SessionSerializer.Serialize(session));

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Where(p => p.CanWrite);

    private static T Filled<T>() where T : new() => (T)Fill(typeof(T), 1);

    private static object Fill(Type type, int seed)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in Properties(type))
        {
            property.SetValue(instance, Value(property.PropertyType, property.Name, seed));
        }
        return instance;
    }

    private static object Value(Type type, string name, int seed)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying switch
        {
            _ when underlying == typeof(string) => $"{name}-{seed}",
            _ when underlying == typeof(bool) => seed % 2 == 1,
            _ when underlying == typeof(int) => seed + name.Length,
            _ when underlying == typeof(DateTimeOffset) => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(seed + name.Length),
            _ when underlying.IsEnum => Enum.GetValues(underlying).GetValue(Enum.GetValues(underlying).Length - seed % 2 - 1)!,
            _ when underlying == typeof(List<string>) => new List<string> { $"{name}-{seed}" },
            _ when underlying == typeof(object) => new byte[] { (byte)seed },
            _ when underlying.IsClass && underlying.Namespace == typeof(UserSession).Namespace => Fill(underlying, seed),
            _ => throw new InvalidOperationException(
                $"{name}: teach UserSession.Copy and this test about {underlying.Name} (is it copied deeply?)"),
        };
    }

    /// <summary>Changes every property of the copy in place, nested objects and lists included.</summary>
    private static void Mutate(object instance)
    {
        foreach (var property in Properties(instance.GetType()))
        {
            var current = property.GetValue(instance);
            switch (current)
            {
                case byte[]:
                    break; // StoredForm: the same stored bytes by design, never written to.
                case IList list:
                    list.Add($"{property.Name}-changed");
                    break;
                case not null when current.GetType().IsClass && current.GetType() != typeof(string):
                    Mutate(current);
                    break;
                default:
                    property.SetValue(instance, Value(property.PropertyType, property.Name, 2));
                    break;
            }
        }
    }
}
