using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Portal.Tests.Support;

/// <summary>
/// One headless Debian Chromium for the whole "browser" collection: several Chromium instances on a 2-core machine
/// slow every launch down. Playwright drives /usr/bin/chromium (from scripts/install-test-deps.sh) and never
/// downloads a browser.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// --no-sandbox because CI runs as root in a container; the background-networking flags stop Chromium from
    /// retrying connections on a machine with no outside network.
    /// </summary>
    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private readonly Dictionary<string, IBrowser> _browsers = [];

    /// <summary>
    /// A browser in which every listed host resolves to 127.0.0.1:<paramref name="port"/>, so real names such as
    /// https://auth.example.com reach a test server with their own Host header, cookie domain and TLS name.
    /// </summary>
    public async Task<IBrowser> BrowserMappingAsync(int port, params string[] hosts)
    {
        var rules = string.Join(",", hosts.Select(h => $"MAP {h} 127.0.0.1:{port}")) + ",EXCLUDE localhost";
        if (_browsers.TryGetValue(rules, out var existing))
        {
            return existing;
        }
        _playwright ??= await Playwright.CreateAsync();
        var browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = [.. Flags, $"--host-resolver-rules={rules}"],
        });
        _browsers[rules] = browser;
        return browser;
    }

    /// <summary>
    /// A browser with no host mapping: names resolve as on a newcomer's machine (Chromium itself sends localhost and
    /// every *.localhost name to loopback, without DNS).
    /// </summary>
    public async Task<IBrowser> UnmappedBrowserAsync()
    {
        const string Key = "(unmapped)";
        if (_browsers.TryGetValue(Key, out var existing))
        {
            return existing;
        }
        _playwright ??= await Playwright.CreateAsync();
        var browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = Flags });
        _browsers[Key] = browser;
        return browser;
    }

    public Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/install-test-deps.sh (Debian package 'chromium')");
        }
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var browser in _browsers.Values)
        {
            await browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>
    /// Runs axe-core on the page as it is now and fails on any serious or critical violation (WCAG 2 A/AA rules and
    /// best practices), listing each with the elements it concerns.
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"accessibility violations on {page.Url}:\n" + string.Join("\n",
            serious.Select(v => $"- {v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))}")));
    }

    /// <summary>Saves a screenshot under the test output's <c>screenshots/</c> folder (kept as a CI artifact).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true, Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            // A screenshot is an artifact, not an assertion: on a loaded CI machine Chromium can be slow to settle
            // fonts, and that must not fail a test about the portal's behaviour.
        }
    }
}

[CollectionDefinition("browser")]
public sealed class BrowserTestGroup : ICollectionFixture<BrowserFixture>
{
}
