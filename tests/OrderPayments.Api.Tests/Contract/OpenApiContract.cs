using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrderPayments.Api.Tests.Contract;

/// <summary>
/// The API's OpenAPI document as a contract to check exchanges against. An answer must be documented for its route,
/// method and status, with the documented media type, and its body must validate against the documented schema, with
/// every field it carries documented (answers may gain fields, but only documented ones). A request the API accepted
/// (2xx) must validate against the documented request body and parameters: the document may not refuse what the API
/// takes. A path the document does not know must be answered 404, and a method it does not list 405, as problem+json.
/// </summary>
internal sealed partial class OpenApiContract
{
    private readonly JsonObject _document;
    private readonly SchemaValidator _schemas;
    private readonly List<(string Template, Regex Pattern, int Literals, JsonObject Operations)> _paths;

    private OpenApiContract(JsonObject document)
    {
        _document = document;
        _schemas = new SchemaValidator(document);
        _paths = [.. document["paths"]!.AsObject().Select(p => (p.Key, Template(p.Key), p.Key.Split('/').Count(s => !s.StartsWith('{')), p.Value!.AsObject()))];
    }

    /// <summary>The document this contract reads.</summary>
    public JsonObject Document => _document;

    /// <summary>Reads the document (JSON).</summary>
    public static OpenApiContract Parse(string json) => new(JsonNode.Parse(json)!.AsObject());

    /// <summary>
    /// What is wrong with <paramref name="exchange"/> by this contract: each problem names the route, method and status;
    /// none when it conforms.
    /// </summary>
    public List<string> Check(ObservedExchange exchange)
    {
        var problems = new List<string>();
        var said = $"{exchange.Method} {exchange.Path} answered {exchange.Status}";
        var route = _paths.Where(p => p.Pattern.IsMatch(exchange.Path)).OrderByDescending(p => p.Literals).Select(p => ((string Template, JsonObject Operations)?)(p.Template, p.Operations)).FirstOrDefault();
        if (route is not { } found)
        {
            CheckRefusal(exchange, 404, $"{said}: no documented route matches the path", problems);
            return problems;
        }

        if (found.Operations[exchange.Method.ToLowerInvariant()] is not JsonObject operation)
        {
            CheckRefusal(exchange, 405, $"{said}: {found.Template} documents no {exchange.Method}", problems);
            return problems;
        }

        var where = $"{exchange.Method} {found.Template} answered {exchange.Status}";
        var responses = operation["responses"]!.AsObject();
        var status = exchange.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = responses[status] ?? responses[$"{status[0]}XX"] ?? responses["default"];
        if (response is null)
        {
            problems.Add($"{where}: the status is not documented (documented: {string.Join(", ", responses.Select(r => r.Key))}). Body: {Preview(exchange.ResponseBody)}");
            return problems;
        }

        CheckBody(where, "answer", response["content"] as JsonObject, exchange.ResponseContentType, exchange.ResponseBody, closed: true, required: false, problems);
        if (exchange.Status is >= 200 and < 300)
        {
            var accepted = $"{exchange.Method} {found.Template} accepted ({exchange.Status}) a request";
            if (operation["requestBody"] is JsonObject requestBody)
            {
                CheckBody(accepted, "request", requestBody["content"] as JsonObject, exchange.RequestContentType, exchange.RequestBody, closed: false, required: requestBody["required"]?.GetValue<bool>() == true, problems);
            }

            CheckParameters(accepted, found.Template, operation, exchange, problems);
        }

        return problems;
    }

    private void CheckRefusal(ObservedExchange exchange, int expected, string what, List<string> problems)
    {
        if (exchange.Status != expected)
        {
            problems.Add($"{what}, so it should have answered {expected}");
            return;
        }

        var problem = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/ApiProblem" } } };
        CheckBody($"{exchange.Method} {exchange.Path} answered {exchange.Status}", "answer", problem, exchange.ResponseContentType, exchange.ResponseBody, closed: true, required: true, problems);
    }

    private void CheckBody(string where, string what, JsonObject? content, string? contentType, byte[] body, bool closed, bool required, List<string> problems)
    {
        if (content is null || content.Count == 0)
        {
            if (body.Length > 0 && what == "answer")
            {
                problems.Add($"{where}: the {what} has a body ({contentType}) where the document says none: {Preview(body)}");
            }

            return;
        }

        if (body.Length == 0)
        {
            if (required)
            {
                problems.Add($"{where}: the {what} has no body where the document requires one ({string.Join(", ", content.Select(c => c.Key))})");
            }

            return;
        }

        var mediaType = contentType?.Split(';')[0].Trim();
        if (mediaType is null || content[mediaType] is not JsonObject media)
        {
            problems.Add($"{where}: the {what}'s media type {mediaType ?? "(none)"} is not documented (documented: {string.Join(", ", content.Select(c => c.Key))})");
            return;
        }

        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            problems.Add($"{where}: the {what} is not JSON ({e.Message}): {Preview(body)}");
            return;
        }

        if (media["schema"] is { } schema)
        {
            foreach (var error in _schemas.Validate(instance, schema, closed))
            {
                problems.Add($"{where}: the {what} does not match its schema: {error}. Body: {Preview(body)}");
            }
        }
    }

    private void CheckParameters(string where, string template, JsonObject operation, ObservedExchange exchange, List<string> problems)
    {
        var pathValues = Template(template).Match(exchange.Path).Groups;
        var query = ParseQuery(exchange.Query);
        foreach (var parameter in operation["parameters"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var name = (string)parameter["name"]!;
            var location = (string?)parameter["in"];
            if (location is not ("path" or "query"))
            {
                continue; // headers: the providers' signatures, which the API checks itself
            }

            var text = location == "path" ? pathValues[name].Value : query.GetValueOrDefault(name);
            if (text is null)
            {
                if (parameter["required"]?.GetValue<bool>() == true)
                {
                    problems.Add($"{where} without its required {parameter["in"]} parameter '{name}'");
                }

                continue;
            }

            var schema = parameter["schema"]!;
            JsonNode value = (string?)schema["type"] is "integer" && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var number)
                ? JsonValue.Create(number)
                : JsonValue.Create(text);
            foreach (var error in _schemas.Validate(value, schema, closed: false))
            {
                problems.Add($"{where} whose {parameter["in"]} parameter '{name}' does not match its schema: {error.Replace("$", name, StringComparison.Ordinal)}");
            }
        }
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var split = pair.Split('=', 2);
            values[Uri.UnescapeDataString(split[0].Replace('+', ' '))] = split.Length > 1 ? Uri.UnescapeDataString(split[1].Replace('+', ' ')) : "";
        }

        return values;
    }

    private static Regex Template(string template) =>
        new("^" + TemplateParameter().Replace(Regex.Escape(template).Replace(@"\{", "{", StringComparison.Ordinal), m => $"(?<{m.Groups[1].Value}>[^/]+)") + "/?$", RegexOptions.CultureInvariant);

    private static string Preview(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        return text.Length <= 600 ? text : text[..600] + "…";
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex TemplateParameter();
}
