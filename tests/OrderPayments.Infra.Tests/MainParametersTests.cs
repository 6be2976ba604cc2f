using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrderPayments.Infra.Tests;

/// <summary>main.parameters.json (azd's parameters file) against the compiled template's parameters.</summary>
[Collection(UsesCompiledInfra.Name)]
public sealed partial class MainParametersTests(CompiledInfra infra)
{
    private static JsonObject Parameters =>
        JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("infra/main.parameters.json")))!["parameters"]!.AsObject();

    private JsonObject TemplateParameters => infra.Template["parameters"]!.AsObject();

    [Fact]
    public void MainParameters_GiveEveryParameterWithoutADefault()
    {
        var required = TemplateParameters.Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key).ToList();

        required.ShouldNotBeEmpty();
        required.ShouldBeSubsetOf(Parameters.Select(p => p.Key));
    }

    [Fact]
    public void MainParameters_NameOnlyParametersOfTheTemplate() =>
        Parameters.Select(p => p.Key).ShouldBeSubsetOf(TemplateParameters.Select(p => p.Key));

    [Fact]
    public void MainParameters_SecureParameters_ComeFromTheEnvironment()
    {
        foreach (var (name, parameter) in TemplateParameters.Where(p => p.Value!["type"]!.GetValue<string>() == "securestring"))
        {
            Parameters[name]?["value"]?.GetValue<string>().ShouldMatch(EnvironmentReference().ToString(), $"{name} is a secret: only an azd environment reference may stand in main.parameters.json");
        }
    }

    [Fact]
    public void Abbreviations_EveryPrefixIsUsed()
    {
        var abbreviations = JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("infra/abbreviations.json")))!.AsObject();
        var main = File.ReadAllText(RepositoryFiles.Path("infra/main.bicep"));

        abbreviations.Select(a => a.Key).ShouldAllBe(key => main.Contains("abbrs." + key, StringComparison.Ordinal));
    }

    // ${AZURE_ENV_NAME} or ${NAME=default}
    [GeneratedRegex(@"^\$\{[A-Z][A-Z0-9_]*(=[^}]*)?\}$")]
    private static partial Regex EnvironmentReference();
}
