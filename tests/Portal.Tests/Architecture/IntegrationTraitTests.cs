using System.Reflection;
using Portal.Tests.Proxies;
using Portal.Tests.Session;
using Portal.Tests.Support;

namespace Portal.Tests.Architecture;

/// <summary>
/// <c>dotnet test --filter "Category!=Integration"</c> runs the fast tests alone, so a test class that needs a real
/// server must say so. xunit reads a class's traits from the class itself and from its base only when the class
/// declares none, so the trait belongs on each concrete class.
/// </summary>
public sealed class IntegrationTraitTests
{
    /// <summary>Fixtures that start a process outside the test host: Chromium, redis-server, nginx, Caddy, PostgreSQL.</summary>
    private static readonly Type[] ExternalFixtures = [typeof(BrowserFixture), typeof(RedisServerFixture), typeof(ExternalProxyFront), typeof(Storage.PostgresServerFixture)];

    private static List<Type> TestClasses() => typeof(IntegrationTraitTests).Assembly.GetTypes()
        .Where(t => t.IsClass && !t.IsAbstract)
        .Where(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => m.IsDefined(typeof(FactAttribute), inherit: true)))
        .ToList();

    private static bool DeclaresIntegration(MemberInfo member) => member.CustomAttributes.Any(a =>
        a.AttributeType == typeof(TraitAttribute)
        && a.ConstructorArguments is [{ Value: "Category" }, { Value: "Integration" }]);

    /// <summary>What a class's constructor asks for, its class fixtures provide, or its fields hold.</summary>
    private static IEnumerable<Type> FixturesOf(Type type) =>
        type.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType)
            .Concat(type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IClassFixture<>))
                .Select(i => i.GetGenericArguments()[0]))
            .Concat(type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public).Select(f => f.FieldType));

    private static IEnumerable<Type> BaseClasses(Type type)
    {
        for (var b = type.BaseType; b is not null && b != typeof(object); b = b.BaseType)
        {
            yield return b;
        }
    }

    [Fact]
    public void Every_test_class_given_an_external_server_declares_the_integration_trait_itself()
    {
        var given = TestClasses()
            .Where(t => FixturesOf(t).Any(f => ExternalFixtures.Any(e => e.IsAssignableFrom(f))))
            .ToList();
        Assert.Contains(typeof(NginxProxyFlowTests), given);
        Assert.Contains(typeof(RedisSessionStoreTests), given);
        Assert.Contains(typeof(ConcurrentSessionTests), given);
        Assert.Contains(typeof(Browser.LoginPageBrowserTests), given);

        Assert.Empty(given.Where(t => !DeclaresIntegration(t)).Select(t => t.FullName));
    }

    [Fact]
    public void No_base_class_of_a_test_class_declares_a_trait_its_subclasses_could_silently_drop()
    {
        var bases = TestClasses()
            .SelectMany(BaseClasses)
            .Distinct()
            .ToList();
        Assert.Contains(typeof(Browser.TlsBrowserTest), bases);

        Assert.Empty(bases.Where(t => t.CustomAttributes.Any(a => a.AttributeType == typeof(TraitAttribute))).Select(t => t.FullName));
    }
}
