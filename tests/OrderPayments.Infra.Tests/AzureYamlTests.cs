using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace OrderPayments.Infra.Tests;

/// <summary>azure.yaml against azd's published JSON schema (pinned in eng/schemas/ with where it came from).</summary>
public sealed partial class AzureYamlTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(RepositoryFiles.Path("eng/schemas/azure.yaml.json")), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    [Fact]
    public void AzureYaml_IsValidAgainstAzdsSchema()
    {
        var result = Validate(File.ReadAllText(RepositoryFiles.Path("azure.yaml")));

        result.IsValid.ShouldBeTrue(Errors(result));
    }

    [Theory]
    [InlineData("name: Order_Payments\n")]
    [InlineData("name: orderpayments\nservices: [api]\n")]
    [InlineData("name: orderpayments\nservices:\n  api:\n    project: ./src\n    language: dotnet\n    host: 42\n")]
    [InlineData("metadata:\n  template: orderpayments\n")]
    public void AzureYaml_ADocumentTheSchemaRefuses_IsInvalid(string yaml) =>
        Validate(yaml).IsValid.ShouldBeFalse();

    [Fact]
    public void AzureYaml_FunctionServices_PointAtAFunctionsProject()
    {
        var services = Json(File.ReadAllText(RepositoryFiles.Path("azure.yaml")))["services"]!.AsObject();

        services.ShouldNotBeEmpty();
        foreach (var (name, service) in services)
        {
            var directory = RepositoryFiles.Path(service!["project"]!.GetValue<string>());
            var project = Directory.GetFiles(directory, "*.csproj").ShouldHaveSingleItem($"service {name}'s project folder holds one project");
            if (service["host"]!.GetValue<string>() == "function")
            {
                File.ReadAllText(project).ShouldContain("<AzureFunctionsVersion>", customMessage: $"service {name} is hosted as a function but {project} is no Functions project");
            }
        }
    }

    [Fact]
    public void AzureYaml_SchemaComment_IsTheVersionThePinnedCopyCameFrom()
    {
        var id = JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("eng/schemas/azure.yaml.json")))!["$id"]!.GetValue<string>();

        File.ReadLines(RepositoryFiles.Path("azure.yaml")).First().ShouldBe($"# yaml-language-server: $schema={id}");
    }

    [Fact]
    public void PinnedSchema_ItsReadme_NamesRepositoryPathAndCommit()
    {
        var readme = File.ReadAllText(RepositoryFiles.Path("eng/schemas/README.md"));

        readme.ShouldSatisfyAllConditions(
            r => r.ShouldContain("Azure/azure-dev"),
            r => r.ShouldContain("schemas/v1.0/azure.yaml.json"),
            r => Commit().IsMatch(r).ShouldBeTrue("the commit the copy was taken at"));
    }

    private static EvaluationResults Validate(string yaml) =>
        Schema.Value.Evaluate(JsonSerializer.SerializeToElement(Json(yaml)), new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static string Errors(EvaluationResults results) =>
        string.Join("\n", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));

    /// <summary>The YAML document as JSON, with plain scalars typed as YAML 1.2's core schema types them.</summary>
    private static JsonNode Json(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents.ShouldHaveSingleItem().RootNode) ?? throw new ShouldAssertException("azure.yaml is empty");
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(Convert)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar => Plain(scalar.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new NotSupportedException($"YAML node {node.NodeType}"),
    };

    private static JsonValue? Plain(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
        _ when Number().IsMatch(value) => JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value),
    };

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Number();

    [GeneratedRegex(@"\b[0-9a-f]{40}\b")]
    private static partial Regex Commit();
}
