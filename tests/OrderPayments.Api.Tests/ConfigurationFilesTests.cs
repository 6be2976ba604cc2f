using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;

namespace OrderPayments.Api.Tests;

/// <summary>
/// The configuration files reload on change by polling, so the content root (where the default store writes) is not
/// followed by a file-system watcher (<see cref="ConfigurationFiles"/>).
/// </summary>
public sealed class ConfigurationFilesTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("orderpayments-config-");

    [Fact]
    public async Task Build_ReloadingFileSources_PolledInsteadOfWatched()
    {
        await using var app = Build();

        var files = ((IConfigurationBuilder)app.Configuration).Sources.OfType<FileConfigurationSource>().ToList();

        files.ShouldContain(f => f.Path == "appsettings.json");
        foreach (var file in files)
        {
            file.ReloadOnChange.ShouldBeTrue();
            var provider = file.FileProvider.ShouldBeOfType<PhysicalFileProvider>();
            // UsePollingFileWatcher reads false once the provider watches; UseActivePolling says what it was made with.
            provider.UseActivePolling.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task Build_AppSettingsChangedAfterwards_NewValueRead()
    {
        await using var app = Build();
        app.Configuration["Probe"].ShouldBe("first");

        await File.WriteAllTextAsync(Path.Combine(_root.FullName, "appsettings.json"), """{ "Probe": "second" }""");
        File.SetLastWriteTimeUtc(Path.Combine(_root.FullName, "appsettings.json"), TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(5));

        // The files are polled every four seconds.
        var waited = Stopwatch.StartNew();
        while (app.Configuration["Probe"] != "second" && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }

        app.Configuration["Probe"].ShouldBe("second");
    }

    [Fact]
    public async Task Build_ReloadTurnedOffByTheHost_StaysOff()
    {
        await using var app = Build("--hostBuilder:reloadConfigOnChange=false");

        var files = ((IConfigurationBuilder)app.Configuration).Sources.OfType<FileConfigurationSource>().ToList();

        files.ShouldNotBeEmpty();
        files.ShouldAllBe(f => !f.ReloadOnChange);
    }

    public void Dispose() => _root.Delete(recursive: true);

    private WebApplication Build(params string[] extra) => Build(_root, extra);

    /// <summary>The API over a content root holding an appsettings.json and, as by default, the store's folder.</summary>
    internal static WebApplication Build(DirectoryInfo root, params string[] extra)
    {
        File.WriteAllText(Path.Combine(root.FullName, "appsettings.json"), """{ "Probe": "first" }""");
        return ApiApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production", "--contentRoot", root.FullName, .. extra], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["OrderPayments:ApiKey"] = "production-operator-key-0123",
                ["Simulator:Embedded"] = "true",
                ["OrderPayments:Store:Path"] = Path.Combine(root.FullName, "data", "orders.db"),
            }));
    }
}

/// <summary>
/// No file-system watcher is opened for the configuration, counted as this process's inotify descriptors (Linux; CI
/// runs there). Alone, after the parallel tests, so that no other test opens or closes one meanwhile.
/// </summary>
[Collection(nameof(FileWatcherCountTests))]
public sealed class FileWatcherCountTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("orderpayments-watchers-");

    [Fact]
    public async Task Build_StoreInsideTheContentRoot_OpensNoFileSystemWatcher()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var before = Inotify();

        await using var app = ConfigurationFilesTests.Build(_root);

        Inotify().ShouldBe(before);
    }

    public void Dispose() => _root.Delete(recursive: true);

    private static int Inotify() =>
        new DirectoryInfo("/proc/self/fd").GetFileSystemInfos().Count(f => f.LinkTarget?.Contains("inotify", StringComparison.Ordinal) == true);
}

/// <summary>Runs <see cref="FileWatcherCountTests"/> with nothing else in parallel.</summary>
[CollectionDefinition(nameof(FileWatcherCountTests), DisableParallelization = true)]
public sealed class FileWatcherCountRunsAlone;
