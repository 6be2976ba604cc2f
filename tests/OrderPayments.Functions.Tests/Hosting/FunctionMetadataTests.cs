using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using OrderPayments.Application.Hosting;
using OrderPayments.Domain.Workflow;
using OrderPayments.Durable.Orchestration;

namespace OrderPayments.Functions.Tests.Hosting;

/// <summary>
/// The binding surface the Functions host will see: <c>functions.metadata</c> and <c>extensions.json</c>, which the
/// worker SDK generates into the app's build output, checked against the code's <c>[Function]</c> methods and against
/// the expectations written out below, plus the settings files those bindings rely on.
/// </summary>
public sealed class FunctionMetadataTests
{
    private const string DefaultConnection = HostSettings.AzureWebJobsStorage;

    /// <summary>
    /// Every function, as the host must see it. Written out on purpose (not taken from the code's constants): a changed
    /// route, method, auth level or queue fails here until this table is changed with it.
    /// </summary>
    private static readonly Dictionary<string, Expectation> Expected = new(StringComparer.Ordinal)
    {
        // Storefront and fulfillment API: function keys, and a durable client to start or read the order.
        ["StartPayment"] = Http("put", "orders/{orderId}/payment", "Function", durableClient: true),
        ["GetPayment"] = Http("get", "orders/{orderId}/payment", "Function", durableClient: true),
        ["ListOrders"] = Http("get", "orders", "Function", durableClient: true),
        ["Fulfill"] = Http("post", "orders/{orderId}/fulfillments", "Function", durableClient: true),
        ["Cancel"] = Http("post", "orders/{orderId}/cancellation", "Function", durableClient: true),
        ["Refund"] = Http("post", "orders/{orderId}/refunds", "Function", durableClient: true),
        ["NewAttempt"] = Http("post", "orders/{orderId}/attempts", "Function", durableClient: true),

        // Provider notifications: anonymous (the Vipps HMAC, PayEx's read-back), recorded in the request as the API does.
        ["VippsWebhook"] = Http("post", "webhooks/vipps", "Anonymous", durableClient: true),
        ["PayExCallback"] = Http("post", "callbacks/payex", "Anonymous", durableClient: true),

        // Queue intake of shipments, on the default storage connection.
        ["ApplyFulfillment"] = Queue("order-fulfillments"),

        // The orchestration and its activities.
        ["OrderPaymentOrchestrator"] = new("orchestrationTrigger"),
        ["CreatePayment"] = new("activityTrigger"),
        ["QueryPayment"] = new("activityTrigger"),
        ["CapturePayment"] = new("activityTrigger"),
        ["CancelPayment"] = new("activityTrigger"),
        ["RefundPayment"] = new("activityTrigger"),
        ["AbortPayment"] = new("activityTrigger"),
        ["SyncOrder"] = new("activityTrigger"),

        // Retention of finished orders, on a timer, with a durable client to purge their instances.
        ["PurgeFinishedOrders"] = new("timerTrigger", DurableClient: true),

        // Storefront notifications: delivered by a timer; managed by operators with the host's admin key.
        ["DeliverStorefrontEvents"] = new("timerTrigger"),
        ["AddNotificationEndpoint"] = Http("post", "notification-endpoints", "Admin"),
        ["ListNotificationEndpoints"] = Http("get", "notification-endpoints", "Admin"),
        ["DeleteNotificationEndpoint"] = Http("delete", "notification-endpoints/{id}", "Admin"),
        ["TestNotificationEndpoint"] = Http("post", "notification-endpoints/{id}/test", "Admin"),
        ["ListNotificationDeliveries"] = Http("get", "notification-deliveries", "Admin"),
        ["RetryNotificationDelivery"] = Http("post", "notification-deliveries/{endpointId}/{eventId}/retry", "Admin"),
    };

    private static readonly Lazy<string> AppOutput = new(FindAppOutput);

    public static TheoryData<string> FunctionNames()
    {
        var names = new TheoryData<string>();
        foreach (var name in Expected.Keys)
        {
            names.Add(name);
        }

        return names;
    }

    [Fact]
    public void FunctionsMetadata_ListsEveryDeclaredFunctionAndNoOther() =>
        Metadata().Keys.ShouldBe(Declared().Keys, ignoreOrder: true);

    [Fact]
    public void FunctionsMetadata_EveryFunctionHasAnExpectation() =>
        Metadata().Keys.ShouldBe(Expected.Keys, ignoreOrder: true);

    [Fact]
    public void FunctionsMetadata_EntryPoints_AreTheDeclaringMethodsInTheAppAssembly()
    {
        var metadata = Metadata();

        foreach (var (name, method) in Declared())
        {
            metadata[name]["entryPoint"]!.GetValue<string>().ShouldBe($"{method.DeclaringType!.FullName}.{method.Name}", name);
            metadata[name]["scriptFile"]!.GetValue<string>().ShouldBe("OrderPayments.Functions.dll", name);
            metadata[name]["language"]!.GetValue<string>().ShouldBe("dotnet-isolated", name);
        }
    }

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public void FunctionsMetadata_Function_HasTheExpectedBindings(string name)
    {
        var expected = Expected[name];
        var bindings = Metadata().GetValueOrDefault(name)?["bindings"]?.AsArray().Select(b => b!.AsObject()).ToList();
        bindings.ShouldNotBeNull($"{name} is not in functions.metadata");

        var triggers = bindings.Where(b => Text(b, "type").EndsWith("Trigger", StringComparison.Ordinal)).ToList();
        triggers.Count.ShouldBe(1, $"{name} has one trigger");
        var trigger = triggers[0];

        bindings.Select(b => Text(b, "type")).ShouldBe(expected.BindingTypes, ignoreOrder: true, $"{name}'s bindings");
        trigger.ShouldSatisfyAllConditions(
            t => Text(t, "type").ShouldBe(expected.Trigger),
            t => Text(t, "direction").ShouldBe("In"),
            t => Optional(t, "route").ShouldBe(expected.Route),
            t => Methods(t).ShouldBe(expected.Methods),
            t => Optional(t, "authLevel").ShouldBe(expected.AuthLevel),
            t => Optional(t, "queueName").ShouldBe(expected.QueueTrigger));
        if (expected.QueueTrigger is not null)
        {
            (Optional(trigger, "connection") ?? DefaultConnection).ShouldBe(expected.Connection);
        }

        if (expected.QueueOutput is not null)
        {
            var output = bindings.Single(b => Text(b, "type") == "queue");
            Text(output, "direction").ShouldBe("Out");
            Text(output, "queueName").ShouldBe(expected.QueueOutput);
            (Optional(output, "connection") ?? DefaultConnection).ShouldBe(expected.Connection);
        }
    }

    [Fact]
    public void FunctionsMetadata_QueueNames_AreTheOnesTheCodeSendsTo()
    {
        var queues = Metadata().Values
            .SelectMany(f => f["bindings"]!.AsArray())
            .Select(b => Optional(b!.AsObject(), "queueName"))
            .OfType<string>()
            .Distinct();

        queues.ShouldBe([OrchestrationNames.FulfillmentsQueue]);
    }

    [Fact]
    public void FunctionsMetadata_OrchestrationTrigger_IsTheOrchestratorTheClientStarts() =>
        FunctionsWithTrigger("orchestrationTrigger").ShouldBe([OrchestrationNames.Orchestrator]);

    [Fact]
    public void FunctionsMetadata_ActivityTriggers_AreTheActivitiesTheOrchestratorCalls()
    {
        // Every concrete workflow action, named as the orchestrator names its activity (no field is read), and the sync of
        // the order's tables.
        var called = typeof(WorkflowAction).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(WorkflowAction)) && !t.IsAbstract)
            .Select(t => OrchestrationNames.Activity((WorkflowAction)RuntimeHelpers.GetUninitializedObject(t)))
            .Append(OrchestrationNames.SyncOrder);

        FunctionsWithTrigger("activityTrigger").ShouldBe(called, ignoreOrder: true);
        OrchestrationNames.PaymentActivities.ShouldBe(called.SkipLast(1), ignoreOrder: true);
    }

    [Fact]
    public void ExtensionsJson_ListsTheDurableTaskAndStorageQueuesExtensions()
    {
        var extensions = ReadJson(Path.Combine(AppOutput.Value, "extensions.json"))["extensions"]!.AsArray()
            .Select(e => Text(e!.AsObject(), "name"));

        extensions.ShouldSatisfyAllConditions(
            e => e.ShouldContain("DurableTask"),
            e => e.ShouldContain("AzureStorageQueues"));
    }

    [Fact]
    public void HostJson_InTheAppOutput_IsTheRepositoryOne() =>
        File.ReadAllText(Path.Combine(AppOutput.Value, "host.json")).ShouldBe(File.ReadAllText(RepositoryFiles.Path("host.json")));

    [Fact]
    public void HostJson_TaskHubAndQueueRetries_AreSet()
    {
        var extensions = ReadJson(RepositoryFiles.Path("host.json"))["extensions"]!;

        extensions["durableTask"]!["hubName"]!.GetValue<string>().ShouldBe("%TASKHUB_NAME%");
        // A queue message that keeps failing goes to the poison queue after this many deliveries (NotificationFunctions).
        extensions["queues"]!["maxDequeueCount"]!.GetValue<int>().ShouldBe(5);
    }

    [Fact]
    public void HostJson_DurableConcurrency_ManyIoBoundActivitiesFewCpuBoundOrchestrators()
    {
        // The reasoning is in docs/azure.md ("Concurrency"): activities are provider calls that wait on
        // the network, orchestrator episodes are short and CPU-bound.
        var durable = ReadJson(RepositoryFiles.Path("host.json"))["extensions"]!["durableTask"]!;

        durable["maxConcurrentActivityFunctions"]!.GetValue<int>().ShouldBe(100);
        durable["maxConcurrentOrchestratorFunctions"]!.GetValue<int>().ShouldBe(20);
    }

    [Fact]
    public void LocalSettingsSample_HasTheSettingsTheBindingsAndTheHostUse()
    {
        var values = ReadJson(RepositoryFiles.Path("local.settings.sample.json"))["Values"]!.AsObject();
        var connections = Metadata().Values
            .SelectMany(f => f["bindings"]!.AsArray())
            .Select(b => b!.AsObject())
            .Where(b => Text(b, "type") is "queue" or "queueTrigger")
            .Select(b => Optional(b, "connection") ?? DefaultConnection)
            .Distinct();

        values.ShouldSatisfyAllConditions(
            v => connections.ShouldAllBe(c => v.ContainsKey(c)),
            v => v["AzureWebJobsStorage"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace(),
            v => v["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>().ShouldBe("dotnet-isolated"),
            v => v["TASKHUB_NAME"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace());
    }

    private static Expectation Http(string method, string route, string authLevel, bool durableClient = false, string? queueOutput = null) =>
        new("httpTrigger", Route: route, Methods: [method], AuthLevel: authLevel, QueueOutput: queueOutput, DurableClient: durableClient);

    private static Expectation Queue(string queue) => new("queueTrigger", QueueTrigger: queue, DurableClient: true);

    /// <summary>The [Function] methods the app declares, by function name.</summary>
    private static Dictionary<string, MethodInfo> Declared() =>
        typeof(HttpFunctions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>()))
            .Where(f => f.Function is not null)
            .ToDictionary(f => f.Function!.Name, f => f.Method, StringComparer.Ordinal);

    /// <summary>functions.metadata, by function name.</summary>
    private static Dictionary<string, JsonObject> Metadata() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppOutput.Value, "functions.metadata")))!.AsArray()
            .Select(f => f!.AsObject())
            .ToDictionary(f => Text(f, "name"), StringComparer.Ordinal);

    private static IEnumerable<string> FunctionsWithTrigger(string trigger) =>
        Metadata().Where(f => f.Value["bindings"]!.AsArray().Any(b => Text(b!.AsObject(), "type") == trigger)).Select(f => f.Key);

    /// <summary>
    /// The app's own build output of the configuration and framework these tests were built with
    /// (src/OrderPayments.Functions/bin/&lt;Configuration&gt;/&lt;tfm&gt;, where the SDK writes functions.metadata), else the
    /// tests' own output, into which the project reference copies the same files (e.g. when the output path is changed).
    /// </summary>
    private static string FindAppOutput()
    {
        var tests = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var candidates = new List<string>();
        if (tests.Parent is { } configuration)
        {
            candidates.Add(RepositoryFiles.Path(Path.Combine("src", "OrderPayments.Functions", "bin", configuration.Name, tests.Name)));
        }

        candidates.Add(tests.FullName);
        return candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, "functions.metadata")))
            ?? throw new InvalidOperationException(
                $"No functions.metadata in {string.Join(" or ", candidates)}: was the app built with the Functions worker SDK?");
    }

    private static JsonNode ReadJson(string path) =>
        JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidOperationException($"{path} is empty.");

    private static string Text(JsonObject node, string property) =>
        Optional(node, property) ?? throw new InvalidOperationException($"No '{property}' in {node.ToJsonString()}.");

    private static string? Optional(JsonObject node, string property) => node[property]?.GetValue<string>();

    private static string[]? Methods(JsonObject trigger) => trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>()).ToArray();

    /// <summary>How one function must look in functions.metadata.</summary>
    /// <param name="Trigger">The trigger binding's type.</param>
    /// <param name="Route">The HTTP route (without the <c>api/</c> prefix of host.json).</param>
    /// <param name="Methods">The HTTP methods.</param>
    /// <param name="AuthLevel">The HTTP auth level.</param>
    /// <param name="QueueTrigger">The queue that triggers it.</param>
    /// <param name="QueueOutput">The queue it writes to.</param>
    /// <param name="DurableClient">Whether it gets a Durable Task client (to start, signal or read orders).</param>
    /// <param name="Connection">The storage connection setting of its queue bindings.</param>
    private sealed record Expectation(
        string Trigger,
        string? Route = null,
        string[]? Methods = null,
        string? AuthLevel = null,
        string? QueueTrigger = null,
        string? QueueOutput = null,
        bool DurableClient = false,
        string Connection = DefaultConnection)
    {
        /// <summary>Every binding's type: the trigger, HTTP's response, the durable client, the queue output.</summary>
        public IEnumerable<string> BindingTypes =>
            new[]
            {
                Trigger,
                Trigger == "httpTrigger" ? "http" : null,
                DurableClient ? "durableClient" : null,
                QueueOutput is null ? null : "queue",
            }.OfType<string>();
    }
}
