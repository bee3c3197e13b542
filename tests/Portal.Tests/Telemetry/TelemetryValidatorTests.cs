using Portal.Configuration;
using Portal.Infrastructure;
using Portal.Telemetry;

namespace Portal.Tests.Telemetry;

public sealed class TelemetryValidatorTests
{
    private static List<string> Validate(MetricsOptions metrics, string serverAddress = "tcp://:9091/")
    {
        var diag = new ConfigDiagnostics();
        TelemetryValidator.Validate(new PortalOptions
        {
            Server = new ServerOptions { Address = serverAddress },
            Telemetry = new TelemetryOptions { Metrics = metrics },
        }, diag);
        return diag.Errors.Select(d => d.ToString()).ToList();
    }

    [Fact]
    public void The_defaults_are_authelias_and_valid()
    {
        var metrics = new MetricsOptions();

        Assert.False(metrics.Enabled);
        Assert.Equal("tcp://:9959/metrics", metrics.Address);
        Assert.Equal((4096, 4096), (metrics.Buffers.Read, metrics.Buffers.Write));
        Assert.Equal((TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(30)),
            (metrics.Timeouts.Read, metrics.Timeouts.Write, metrics.Timeouts.Idle));
        Assert.Empty(Validate(new MetricsOptions { Enabled = true }));
    }

    [Theory]
    [InlineData("http://:9959/metrics", "telemetry: metrics: option 'address' has scheme 'http' but must use 'tcp', 'tcp4', 'tcp6' or 'unix'")]
    [InlineData("tcp://127.0.0.1/metrics", "telemetry: metrics: option 'address' must include a port, such as 'tcp://:9959/metrics'")]
    [InlineData("tcp://metrics.example.com:9959/metrics", "telemetry: metrics: option 'address' has host 'metrics.example.com' but must use an IP address (or leave it empty for every interface)")]
    [InlineData("9959", "telemetry: metrics: option 'address' must be an address such as 'tcp://:9959/metrics' or 'unix:///run/portal.sock'")]
    public void A_bad_address_is_refused_with_its_yaml_path(string address, string error)
    {
        Assert.Equal([error], Validate(new MetricsOptions { Address = address }));
    }

    [Theory]
    [InlineData("tcp://:9091/metrics")]
    [InlineData("tcp://127.0.0.1:9091/metrics")]
    public void Enabled_metrics_on_the_portals_own_port_are_refused(string address)
    {
        Assert.Equal(
            [$"telemetry: metrics: option 'address' '{address}' is the portal's own listener (server.address); metrics need a port of their own"],
            Validate(new MetricsOptions { Enabled = true, Address = address }));
    }

    [Fact]
    public void Disabled_metrics_may_name_any_valid_address_and_other_interfaces_on_the_same_port_are_apart()
    {
        Assert.Empty(Validate(new MetricsOptions { Address = "tcp://:9091/metrics" }));
        Assert.Empty(Validate(new MetricsOptions { Enabled = true, Address = "tcp://127.0.0.2:9091/metrics" }, "tcp://127.0.0.1:9091/"));
    }

    [Fact]
    public void Buffers_too_small_for_a_request_and_non_positive_timeouts_are_refused()
    {
        var errors = Validate(new MetricsOptions
        {
            Buffers = new MetricsBuffersOptions { Read = 100, Write = 0 },
            Timeouts = new ServerTimeoutsOptions { Read = TimeSpan.Zero, Write = TimeSpan.FromSeconds(-1), Idle = TimeSpan.Zero },
        });

        Assert.Equal(
            [
                "telemetry: metrics: buffers: option 'read' must be at least 1024 bytes but is 100",
                "telemetry: metrics: buffers: option 'write' must be at least 1024 bytes but is 0",
                "telemetry: metrics: timeouts: option 'read' must be a duration greater than zero",
                "telemetry: metrics: timeouts: option 'write' must be a duration greater than zero",
                "telemetry: metrics: timeouts: option 'idle' must be a duration greater than zero",
            ],
            errors);
    }

    [Fact]
    public void The_yaml_keys_are_authelias_and_no_longer_warned_about()
    {
        var result = ConfigLoader.LoadYaml("""
            telemetry:
              metrics:
                enabled: true
                address: 'tcp://127.0.0.1:9960/prom'
                buffers:
                  read: 8192
                  write: 2048
                timeouts:
                  read: 2s
                  write: 3s
                  idle: 1m
            """);

        var metrics = result.Options.Telemetry.Metrics;
        Assert.DoesNotContain(result.Diagnostics.Warnings, w => w.ToString().Contains("telemetry", StringComparison.Ordinal));
        Assert.True(metrics.Enabled);
        Assert.Equal("tcp://127.0.0.1:9960/prom", metrics.Address);
        Assert.Equal((8192, 2048), (metrics.Buffers.Read, metrics.Buffers.Write));
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(1)),
            (metrics.Timeouts.Read, metrics.Timeouts.Write, metrics.Timeouts.Idle));
    }

    [Fact]
    public void A_bad_address_in_a_file_stops_the_load_with_its_path_and_line()
    {
        var result = ConfigLoader.LoadYaml("""
            telemetry:
              metrics:
                enabled: true
                address: 'udp://:9959/metrics'
            """);

        Assert.Contains("telemetry: metrics: option 'address' has scheme 'udp' but must use 'tcp', 'tcp4', 'tcp6' or 'unix' (line 4)",
            result.Diagnostics.Errors.Select(e => e.ToString()));
    }
}
