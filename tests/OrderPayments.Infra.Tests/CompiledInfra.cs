using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace OrderPayments.Infra.Tests;

/// <summary>
/// The deployment as the pinned Bicep CLI sees it, produced once for every test: <c>infra/main.bicep</c> built to the
/// ARM JSON azd deploys, every <c>.bicep</c> file linted, and the snapshot the CLI's deployment engine predicts from
/// the compiled template with the sample parameters below (every expression it can evaluate before a deployment is
/// evaluated: names, ids, app settings, role definitions; what only Azure knows stays a <c>reference(…)</c>).
/// </summary>
public sealed class CompiledInfra : IAsyncLifetime
{
    /// <summary>The subscription the snapshot is predicted for.</summary>
    public const string SubscriptionId = "0a0a0a0a-0000-4000-8000-000000000001";

    /// <summary>The deploying user's object id given as <c>principalId</c>.</summary>
    public const string UserPrincipalId = "0a0a0a0a-0000-4000-8000-000000000003";

    private const string TenantId = "0a0a0a0a-0000-4000-8000-000000000002";

    /// <summary>
    /// A value for every parameter of main.bicep, the optional ones too (so the conditional secrets and the deploying
    /// user's roles are in the snapshot). A parameter added to main.bicep needs a value here.
    /// </summary>
    private static readonly Dictionary<string, string> SampleParameters = new(StringComparer.Ordinal)
    {
        ["environmentName"] = "ci",
        ["location"] = "norwayeast",
        ["principalId"] = UserPrincipalId,
        ["vippsBaseUrl"] = "https://apitest.vipps.no",
        ["vippsClientId"] = "sample-client-id",
        ["vippsMerchantSerialNumber"] = "123456",
        ["vippsClientSecret"] = "sample-client-secret",
        ["vippsSubscriptionKey"] = "sample-subscription-key",
        ["vippsWebhookSecret"] = "sample-webhook-secret",
        ["payexBaseUrl"] = "https://api.externalintegration.payex.com",
        ["payexPayeeId"] = "sample-payee",
        ["payexAccessToken"] = "sample-payex-token",
        ["payexDefaultCompleteUrl"] = "https://shop.example/complete",
    };

    private readonly string _work = Directory.CreateTempSubdirectory("orderpayments-infra-").FullName;

    /// <summary><c>bicep build infra/main.bicep</c>.</summary>
    public ToolRun Build { get; private set; } = null!;

    /// <summary><c>bicep lint</c> over every <c>.bicep</c> file under <c>infra/</c>.</summary>
    public ToolRun Lint { get; private set; } = null!;

    /// <summary><c>bicep snapshot</c> of main.bicep with the sample parameters.</summary>
    public ToolRun Snapshot { get; private set; } = null!;

    /// <summary>The compiled ARM template (main.json).</summary>
    public JsonObject Template { get; private set; } = null!;

    /// <summary>The snapshot document: <c>predictedResources</c>, <c>diagnostics</c>, <c>outputs</c>.</summary>
    public JsonObject Predicted { get; private set; } = null!;

    /// <summary>Every resource the deployment creates, with what could be evaluated evaluated.</summary>
    public IReadOnlyList<JsonObject> Resources => [.. Predicted["predictedResources"]!.AsArray().Select(r => r!.AsObject())];

    /// <summary>The <c>.bicep</c> files under <c>infra/</c>, relative to the repository root.</summary>
    public static IReadOnlyList<string> BicepFiles { get; } =
        [.. Directory.EnumerateFiles(RepositoryFiles.Path("infra"), "*.bicep", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryFiles.Root, f))
            .Order(StringComparer.Ordinal)];

    /// <summary>The resources of one type.</summary>
    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals(r["type"]!.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The one resource of a type.</summary>
    public JsonObject One(string type) => OfType(type).ShouldHaveSingleItem($"one {type}");

    /// <summary>The resource with this id.</summary>
    public JsonObject? ById(string id) =>
        Resources.SingleOrDefault(r => string.Equals(r["id"]!.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The Function App's app settings.</summary>
    public JsonObject AppSettings =>
        OfType("Microsoft.Web/sites/config").Single(c => c["name"]!.GetValue<string>().EndsWith("/appsettings", StringComparison.Ordinal))["properties"]!.AsObject();

    /// <summary>The Function App.</summary>
    public JsonObject FunctionApp => OfType("Microsoft.Web/sites").Single(s => s["kind"]!.GetValue<string>().Contains("functionapp", StringComparison.Ordinal));

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var root = RepositoryFiles.Root;
        var lint = BicepCli.RunAsync(root, "lint", "--pattern", "infra/**/*.bicep");
        var template = Path.Combine(_work, "main.json");
        Build = await BicepCli.RunAsync(root, "build", "infra/main.bicep", "--outfile", template);
        Template = File.Exists(template) ? JsonNode.Parse(await File.ReadAllTextAsync(template))!.AsObject() : [];

        var parameters = Path.Combine(_work, "main.bicepparam");
        await File.WriteAllTextAsync(parameters, ParametersFile(parameters));
        Snapshot = await BicepCli.RunAsync(
            _work,
            "snapshot", parameters, "--mode", "overwrite",
            "--subscription-id", SubscriptionId, "--tenant-id", TenantId, "--location", SampleParameters["location"]);
        var snapshot = Path.ChangeExtension(parameters, ".snapshot.json");
        Predicted = File.Exists(snapshot) ? JsonNode.Parse(await File.ReadAllTextAsync(snapshot))!.AsObject() : new JsonObject { ["predictedResources"] = new JsonArray() };
        Lint = await lint;
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A .bicepparam for main.bicep with every parameter of the compiled template (the CLI wants a relative path).</summary>
    private string ParametersFile(string path)
    {
        var names = Template["parameters"]?.AsObject().Select(p => p.Key).ToList() ?? [];
        var missing = names.Where(n => !SampleParameters.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"main.bicep has parameters without a sample value in {nameof(CompiledInfra)}: {string.Join(", ", missing)}.");
        }

        var main = Path.GetRelativePath(Path.GetDirectoryName(path)!, RepositoryFiles.Path("infra/main.bicep")).Replace('\\', '/');
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"using '{main}'\n");
        foreach (var name in names)
        {
            text.Append(CultureInfo.InvariantCulture, $"param {name} = '{SampleParameters[name]}'\n");
        }

        return text.ToString();
    }
}
