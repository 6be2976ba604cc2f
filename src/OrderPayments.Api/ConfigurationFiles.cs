using Microsoft.Extensions.FileProviders;

namespace OrderPayments.Api;

/// <summary>
/// The configuration files (<c>appsettings*.json</c>, user secrets) are watched for changes by polling each of them
/// every four seconds instead of by the default file-system watcher. That watcher follows the whole content root with
/// its subdirectories, and the default store (<c>./data/orders.db</c>) lies inside it: every write to the database and
/// its WAL (dozens per order) woke the watcher's thread, which allocated ~13 KB per order to find that no configuration
/// file had changed. Files still reload on change (Vipps credentials are read through <c>IOptionsMonitor</c>); a host
/// that turns reloading off (<c>hostBuilder:reloadConfigOnChange=false</c>) keeps it off.
/// </summary>
internal static class ConfigurationFiles
{
    /// <summary>Moves every reloading file source of <paramref name="configuration"/> to a polling file provider.</summary>
    public static void PollForChanges(ConfigurationManager configuration)
    {
        var watchers = new List<PhysicalFileProvider>();
        var polling = new Dictionary<string, PhysicalFileProvider>(StringComparer.Ordinal); // one timer per folder
        var first = -1;
        for (var i = 0; i < configuration.Sources.Count; i++)
        {
            if (configuration.Sources[i] is FileConfigurationSource { ReloadOnChange: true, FileProvider: PhysicalFileProvider { UseActivePolling: false } watched } source)
            {
                source.FileProvider = Polling(polling, watched.Root);
                watchers.Add(watched);
                first = first < 0 ? i : first;
            }
        }

        if (first >= 0)
        {
            // Setting a source rebuilds every provider from the sources, now all with their new file providers: once.
            configuration.Sources[first] = configuration.Sources[first];
        }

        // Files added later (by a caller's configure) resolve against the same root, also polled.
        if (configuration.GetFileProvider() is PhysicalFileProvider { UseActivePolling: false } basePath)
        {
            configuration.SetFileProvider(Polling(polling, basePath.Root));
            watchers.Add(basePath);
        }

        foreach (var watcher in watchers.Distinct())
        {
            watcher.Dispose(); // stops its file-system watcher
        }
    }

    /// <summary>A provider that polls the files watched on a timer and creates no file-system watcher (both flags are needed for that).</summary>
    private static PhysicalFileProvider Polling(Dictionary<string, PhysicalFileProvider> made, string root)
    {
        if (!made.TryGetValue(root, out var provider))
        {
            made[root] = provider = new PhysicalFileProvider(root) { UsePollingFileWatcher = true, UseActivePolling = true };
        }

        return provider;
    }
}
