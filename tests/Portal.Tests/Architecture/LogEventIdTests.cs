using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Architecture;

/// <summary>Log pipelines alert on event ids, so an id names one event only.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void Every_explicit_log_event_id_names_one_event()
    {
        var assembly = typeof(Portal.AccessControl.AccessControlEngine).Assembly;
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var events = assembly.GetTypes()
            .SelectMany(t => t.GetMethods(all))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is { EventId: > 0 })
            .ToList();
        Assert.NotEmpty(events);
        var duplicates = events.GroupBy(e => e.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => $"{e.Method.DeclaringType?.Name}.{e.Method.Name}"))}");
        Assert.Empty(duplicates);
    }
}
