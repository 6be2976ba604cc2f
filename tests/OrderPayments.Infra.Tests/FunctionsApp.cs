using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrderPayments.Infra.Tests;

/// <summary>
/// What the Functions app reads, taken from the app itself at test time (so these tests follow it as it changes): the
/// settings its sample file lists (<c>local.settings.sample.json</c>, which the Functions tests hold to the code), the
/// bindings of the <c>functions.metadata</c> its build generates, and <c>host.json</c>.
/// </summary>
internal sealed partial class FunctionsApp
{
    /// <summary>The host's storage connection, and the default connection of storage and Durable bindings.</summary>
    public const string HostStorage = "AzureWebJobsStorage";

    /// <summary>The worker runtime setting (set in <c>functionAppConfig</c> on Flex Consumption).</summary>
    public const string WorkerRuntime = "FUNCTIONS_WORKER_RUNTIME";

    private static readonly HashSet<string> StorageBindings = new(StringComparer.Ordinal) { "queue", "queueTrigger", "blob", "blobTrigger", "table" };

    private static readonly HashSet<string> DurableBindings = new(StringComparer.Ordinal) { "orchestrationTrigger", "activityTrigger", "entityTrigger", "durableClient" };

    private FunctionsApp(string output)
    {
        OutputDirectory = output;
        Functions = [.. JsonNode.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")))!.AsArray().Select(f => f!.AsObject())];
        HostJson = JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("host.json")))!.AsObject();
        SampleValues = JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("local.settings.sample.json")))!["Values"]!.AsObject();
    }

    /// <summary>The app as built alongside these tests.</summary>
    public static FunctionsApp Current { get; } = new(FindOutput());

    /// <summary>The app's build output (where the worker SDK writes functions.metadata).</summary>
    public string OutputDirectory { get; }

    /// <summary>The entries of functions.metadata.</summary>
    public IReadOnlyList<JsonObject> Functions { get; }

    /// <summary>The repository's host.json (the one the build copies into the output).</summary>
    public JsonObject HostJson { get; }

    /// <summary>The <c>Values</c> of local.settings.sample.json.</summary>
    public JsonObject SampleValues { get; }

    /// <summary>Every binding of every function, with the function's name.</summary>
    public IEnumerable<(string Function, JsonObject Binding)> Bindings =>
        Functions.SelectMany(f => f["bindings"]!.AsArray().Select(b => (f["name"]!.GetValue<string>(), b!.AsObject())));

    /// <summary>The binding types in use.</summary>
    public IReadOnlySet<string> BindingTypes => Bindings.Select(b => Type(b.Binding)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether any function is a Durable orchestration, activity, entity or client.</summary>
    public bool UsesDurable => Bindings.Any(b => DurableBindings.Contains(Type(b.Binding)));

    /// <summary>Durable Functions' storage provider (host.json <c>extensions.durableTask.storageProvider.type</c>; Azure Storage by default).</summary>
    public string DurableStorageProvider => Durable?["storageProvider"]?["type"]?.GetValue<string>() ?? "AzureStorage";

    /// <summary>Whether the app's own code uses Azure Storage tables (Azure.Data.Tables ships in its output).</summary>
    public bool UsesTables => File.Exists(Path.Combine(OutputDirectory, "Azure.Data.Tables.dll"));

    /// <summary>
    /// The storage connections: the host's own, each storage binding's (its <c>connection</c>, else the host's), and
    /// Durable's (host.json <c>storageProvider.connectionName</c>, else the host's).
    /// </summary>
    public IReadOnlySet<string> StorageConnections
    {
        get
        {
            var connections = new HashSet<string>(StringComparer.Ordinal) { HostStorage };
            foreach (var (_, binding) in Bindings.Where(b => StorageBindings.Contains(Type(b.Binding))))
            {
                connections.Add(binding["connection"]?.GetValue<string>() is { Length: > 0 } name ? name : HostStorage);
            }

            if (UsesDurable)
            {
                var provider = Durable?["storageProvider"];
                connections.Add(provider?["connectionName"]?.GetValue<string>() ?? provider?["connectionStringName"]?.GetValue<string>() ?? HostStorage);
            }

            return connections;
        }
    }

    /// <summary>The queues the bindings read and write, with the connection each is reached through.</summary>
    public IReadOnlySet<(string Queue, string Connection)> Queues =>
        Bindings.Where(b => Type(b.Binding) is "queue" or "queueTrigger")
            .Select(b => (b.Binding["queueName"]!.GetValue<string>(), b.Binding["connection"]?.GetValue<string>() is { Length: > 0 } c ? c : HostStorage))
            .ToHashSet();

    /// <summary>The settings host.json takes from app settings (<c>%NAME%</c>).</summary>
    public IReadOnlySet<string> HostJsonReferences =>
        SettingReference().Matches(HostJson.ToJsonString()).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Every setting the app reads by name: the sample's and host.json's references. (Storage connections among them are
    /// given identity-based in Azure: <see cref="StorageConnections"/>.)
    /// </summary>
    public IReadOnlySet<string> Settings =>
        SampleValues.Select(v => v.Key).Concat(HostJsonReferences).ToHashSet(StringComparer.Ordinal);

    private JsonNode? Durable => HostJson["extensions"]?["durableTask"];

    /// <summary>A binding's type.</summary>
    public static string Type(JsonObject binding) => binding["type"]!.GetValue<string>();

    /// <summary>
    /// src/OrderPayments.Functions/bin/&lt;Configuration&gt;/&lt;tfm&gt;, with the configuration and framework these tests were
    /// built with (this project references the app so that it is built first).
    /// </summary>
    private static string FindOutput()
    {
        var tests = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var output = RepositoryFiles.Path(Path.Combine("src", "OrderPayments.Functions", "bin", tests.Parent!.Name, tests.Name));
        return File.Exists(Path.Combine(output, "functions.metadata"))
            ? output
            : throw new InvalidOperationException($"No functions.metadata in {output}: build src/OrderPayments.Functions (the worker SDK generates it).");
    }

    [GeneratedRegex("%([A-Za-z0-9_]+)%")]
    private static partial Regex SettingReference();
}
