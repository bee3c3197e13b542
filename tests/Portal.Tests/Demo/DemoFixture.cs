using Portal.Demo;
using Portal.Tests.Support;

namespace Portal.Tests.Demo;

/// <summary>
/// One demo (portal, gateway and demo app on one free port, its state in a temp directory) for a test class whose
/// tests change nothing in it. Starting a demo checks the shipped users file's argon2 cost (64 MiB) once per start.
/// </summary>
#pragma warning disable CA1001 // xunit disposes class fixtures through IAsyncLifetime.DisposeAsync
public sealed class DemoFixture : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly TempDirectory _dir = new();

    internal DemoHost Demo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The demo needs its port before it binds it (its URLs carry it), so another process can take the free port
        // in between; the demo cleans up after a failed start, so start again on another.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Demo = await DemoHost.StartAsync(LoopbackPort.Free(), _dir.File("state"));
                return;
            }
            catch (IOException e) when (attempt < 3 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
            }
        }
    }

    public async Task DisposeAsync()
    {
        await Demo.DisposeAsync();
        _dir.Dispose();
    }
}
