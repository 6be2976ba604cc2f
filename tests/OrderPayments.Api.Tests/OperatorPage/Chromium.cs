using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Playwright;

namespace OrderPayments.Api.Tests.OperatorPage;

/// <summary>
/// Headless Chromium driven by Playwright, for a test class: an xUnit fixture (<c>IClassFixture&lt;Chromium&gt;</c>) that
/// finds the machine's Chromium in <see cref="InitializeAsync"/>, installs Debian's when there is none, launches it,
/// and closes it in <see cref="DisposeAsync"/>.
/// </summary>
/// <remarks>
/// Playwright's own browser download is not used (it needs a host this repository's build environment cannot reach):
/// the browser is Debian's <c>chromium</c> package, installed by the repository's <c>eng/browser/ensure-chromium.sh</c>
/// (apt-get; as root, or through sudo) under a cross-process file lock, so that test processes running in parallel
/// install it once. Playwright's driver is the Node.js the Microsoft.Playwright package ships beside the test assembly.
/// As root, Chromium runs with <c>--no-sandbox</c> (its sandbox refuses to run as root).
/// </remarks>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>The names Chromium and Chrome are installed under, searched on PATH after <see cref="KnownPaths"/>.</summary>
    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];

    /// <summary>Where Chromium or Chrome is usually installed on Linux.</summary>
    private static readonly string[] KnownPaths =
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome-stable", "/usr/bin/google-chrome", "/snap/bin/chromium"];

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    private readonly Lock _outputLock = new();
    private readonly StringBuilder _output = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The browser's executable (empty before <see cref="InitializeAsync"/>).</summary>
    public string ExecutablePath { get; private set; } = "";

    /// <summary>The launched browser.</summary>
    /// <exception cref="InvalidOperationException">The fixture has not been initialized.</exception>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not been launched (InitializeAsync).");

    /// <summary>What the install script printed, when it ran: for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Finds Chromium (installing Debian's package when none is found, at most 10 minutes), starts Playwright's driver
    /// and launches the browser headless.
    /// </summary>
    /// <exception cref="InvalidOperationException">The install script failed, or printed no usable browser path.</exception>
    /// <exception cref="TimeoutException">The install lock was not had, or the install did not finish, in time.</exception>
    public async Task InitializeAsync()
    {
        ExecutablePath = Find() ?? await InstallAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = IsRoot ? ["--no-sandbox"] : [],
        });
    }

    /// <summary>Closes the browser and stops Playwright's driver.</summary>
    public async Task DisposeAsync()
    {
        if (_browser is { } browser)
        {
            _browser = null;
            await browser.CloseAsync();
        }

        _playwright?.Dispose();
        _playwright = null;
    }

    private static bool IsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    private static string InstallDirectory => RepositoryFiles.Path(Path.Combine("eng", "browser"));

    private static string InstallScript => Path.Combine(InstallDirectory, "ensure-chromium.sh");

    /// <summary>A Chromium at a known place or on PATH, or null.</summary>
    private static string? Find()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => Names.Select(name => Path.Combine(directory, name)));
        return KnownPaths.Concat(onPath).FirstOrDefault(File.Exists);
    }

    /// <summary>Runs eng/browser/ensure-chromium.sh once across processes and returns the path it printed.</summary>
    private async Task<string> InstallAsync()
    {
        var lockPath = Path.Combine(InstallDirectory, ".install.lock");
        FileStream? held = null;
        await Eventually.Holds(() => (held = TryLockExclusively(lockPath)) is not null, $"the Chromium install lock {lockPath}", InstallTimeout);
        await using (held)
        {
            if (Find() is { } installed)
            {
                // Another test process installed it while this one waited for the lock.
                return installed;
            }

            var elapsed = Stopwatch.StartNew();
            var stdout = new StringBuilder();
            var start = new ProcessStartInfo("bash")
            {
                WorkingDirectory = InstallDirectory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(InstallScript);
            using var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    stdout.AppendLine(e.Data);
                    Append(e.Data);
                }
            };
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                throw new InvalidOperationException($"bash must be on PATH to run {InstallScript} (no Chromium was found): {e.Message}", e);
            }

            // No input: sudo must not wait for a password nobody can type.
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var deadline = new CancellationTokenSource(InstallTimeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException e)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{InstallScript} did not finish within {InstallTimeout}. It printed:\n{Output}", e);
            }

            var printed = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (process.ExitCode != 0 || printed is null || !File.Exists(printed))
            {
                throw new InvalidOperationException(
                    $"{InstallScript} failed (exit code {process.ExitCode}, {elapsed.Elapsed.TotalSeconds:F0} s): no Chromium to run the browser tests. "
                    + $"It printed:\n{Output}");
            }

            return printed;
        }
    }

    private static FileStream? TryLockExclusively(string path)
    {
        try
        {
            // FileShare.None is an exclusive lock across processes (flock on Unix); it ends when the stream is disposed.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.AppendLine(line);
        }
    }
}
