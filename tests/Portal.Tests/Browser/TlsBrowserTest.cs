using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>
/// A browser test class with its own <see cref="TlsPortal"/> (started before its tests, with
/// <paramref name="extraYaml"/> over the defaults) in the one Chromium the "browser" collection shares.
/// </summary>
[Collection("browser")]
public abstract class TlsBrowserTest(BrowserFixture browsers, string extraYaml = "") : IAsyncLifetime
{
    protected BrowserFixture Browsers => browsers;

    private protected TlsPortal Portal { get; private set; } = null!;

    public async Task InitializeAsync() => Portal = await TlsPortal.StartAsync(extraYaml);

    public async Task DisposeAsync() => await Portal.DisposeAsync();

    /// <inheritdoc cref="Journeys.OpenAsync"/>
    private protected Task<(IBrowserContext Context, IPage Page)> OpenAsync(params string[] appHosts) =>
        Journeys.OpenAsync(browsers, Portal, appHosts);
}
