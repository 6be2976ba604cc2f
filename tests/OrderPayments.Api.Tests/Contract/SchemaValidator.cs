using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrderPayments.Api.Tests.Contract;

/// <summary>
/// Validates JSON against the JSON Schema (2020-12) subset an OpenAPI 3.1 document of this API uses: <c>$ref</c> into
/// the document, <c>type</c>, <c>enum</c>, <c>const</c>, <c>properties</c>, <c>required</c>, <c>additionalProperties</c>,
/// <c>items</c>, <c>minItems</c>/<c>maxItems</c>, <c>minLength</c>/<c>maxLength</c>, <c>pattern</c>,
/// <c>minimum</c>/<c>maximum</c> (and exclusive), <c>format</c> (date-time, int32, int64, uri), <c>oneOf</c>,
/// <c>anyOf</c>, <c>allOf</c>; annotations are ignored. A keyword or format outside the subset throws
/// <see cref="NotSupportedException"/>: the validator never passes what it cannot check.
/// </summary>
/// <param name="document">The document <c>$ref</c>s point into (<c>#/components/schemas/…</c>).</param>
internal sealed class SchemaValidator(JsonNode document)
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "description", "title", "default", "example", "examples", "deprecated", "readOnly", "writeOnly", "$comment", "externalDocs", "xml",
    };

    private static readonly Regex DateTime = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant);

    /// <summary>
    /// The errors of <paramref name="instance"/> against <paramref name="schema"/>, each with its JSON path; none when it
    /// validates. With <paramref name="closed"/>, an object's property that its schema does not name is an error even
    /// where the schema allows more (answers may gain fields, but every field the API sends must be documented).
    /// </summary>
    public List<string> Validate(JsonNode? instance, JsonNode schema, bool closed)
    {
        var errors = new List<string>();
        Validate(instance, schema, "$", closed, errors, "#");
        return errors;
    }

    private void Validate(JsonNode? instance, JsonNode schema, string at, bool closed, List<string> errors, string schemaAt)
    {
        if (schema is JsonValue always && always.TryGetValue<bool>(out var allowed))
        {
            if (!allowed)
            {
                errors.Add($"{at}: nothing is allowed here");
            }

            return;
        }

        var keywords = schema as JsonObject ?? throw new NotSupportedException($"The schema at {schemaAt} is neither an object nor a boolean.");
        foreach (var (keyword, value) in keywords)
        {
            switch (keyword)
            {
                case "$ref":
                    var target = (string)value!;
                    Validate(instance, Resolve(target), at, closed, errors, target);
                    break;
                case "type":
                    var types = value is JsonArray list ? list.Select(t => (string)t!).ToList() : [(string)value!];
                    if (!types.Any(type => IsOfType(instance, type)))
                    {
                        errors.Add($"{at}: expected {string.Join(" or ", types)}, got {Describe(instance)}");
                        return;
                    }

                    break;
                case "enum":
                    if (!value!.AsArray().Any(option => JsonNode.DeepEquals(option, instance)))
                    {
                        errors.Add($"{at}: {Describe(instance)} is not one of {value.ToJsonString()}");
                    }

                    break;
                case "const":
                    if (!JsonNode.DeepEquals(value, instance))
                    {
                        errors.Add($"{at}: {Describe(instance)} is not {value?.ToJsonString() ?? "null"}");
                    }

                    break;
                case "properties" or "required" or "additionalProperties":
                    break; // together, below
                case "items":
                    if (instance is JsonArray items)
                    {
                        for (var i = 0; i < items.Count; i++)
                        {
                            Validate(items[i], value!, $"{at}[{i}]", closed, errors, $"{schemaAt}/items");
                        }
                    }

                    break;
                case "minItems" or "maxItems":
                    if (instance is JsonArray counted && (keyword == "minItems" ? counted.Count < (int)value! : counted.Count > (int)value!))
                    {
                        errors.Add($"{at}: {counted.Count} items, {keyword} is {value}");
                    }

                    break;
                case "minLength" or "maxLength":
                    if (Text(instance) is { } text)
                    {
                        var length = text.EnumerateRunes().Count();
                        if (keyword == "minLength" ? length < (int)value! : length > (int)value!)
                        {
                            errors.Add($"{at}: {length} characters, {keyword} is {value}");
                        }
                    }

                    break;
                case "pattern":
                    if (Text(instance) is { } matched && !Regex.IsMatch(matched, (string)value!, RegexOptions.CultureInvariant))
                    {
                        errors.Add($"{at}: \"{matched}\" does not match {value}");
                    }

                    break;
                case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum":
                    if (Number(instance) is { } number)
                    {
                        var bound = (decimal)value!;
                        var within = keyword switch
                        {
                            "minimum" => number >= bound,
                            "maximum" => number <= bound,
                            "exclusiveMinimum" => number > bound,
                            _ => number < bound,
                        };
                        if (!within)
                        {
                            errors.Add($"{at}: {number} breaks {keyword} {bound}");
                        }
                    }

                    break;
                case "format":
                    if (FormatError(instance, (string)value!) is { } formatError)
                    {
                        errors.Add($"{at}: {formatError}");
                    }

                    break;
                case "oneOf" or "anyOf" or "allOf":
                    var results = value!.AsArray().Select((option, i) => Validate(instance, option!, closed, $"{schemaAt}/{keyword}/{i}", at)).ToList();
                    var passed = results.Count(r => r.Count == 0);
                    if (keyword == "allOf" ? passed != results.Count : keyword == "oneOf" ? passed != 1 : passed == 0)
                    {
                        errors.Add($"{at}: {passed} of {results.Count} {keyword} alternatives match ({string.Join("; ", results.SelectMany(r => r))})");
                    }

                    break;
                default:
                    if (!Annotations.Contains(keyword))
                    {
                        throw new NotSupportedException($"The schema keyword '{keyword}' at {schemaAt} is not one this validator checks.");
                    }

                    break;
            }
        }

        if (instance is JsonObject obj)
        {
            ValidateObject(obj, keywords, at, closed, errors, schemaAt);
        }
    }

    private List<string> Validate(JsonNode? instance, JsonNode schema, bool closed, string schemaAt, string at)
    {
        var errors = new List<string>();
        Validate(instance, schema, at, closed, errors, schemaAt);
        return errors;
    }

    private void ValidateObject(JsonObject instance, JsonObject schema, string at, bool closed, List<string> errors, string schemaAt)
    {
        var properties = schema["properties"] as JsonObject;
        foreach (var name in schema["required"]?.AsArray().Select(r => (string)r!) ?? [])
        {
            if (!instance.ContainsKey(name))
            {
                errors.Add($"{at}: the required property '{name}' is missing");
            }
        }

        // Only an object schema closes an object: a $ref or a combinator leaves its own target to judge.
        var describesObject = properties is not null || schema.ContainsKey("additionalProperties");
        foreach (var (name, value) in instance)
        {
            if (properties?[name] is { } property)
            {
                Validate(value, property, $"{at}.{name}", closed, errors, $"{schemaAt}/properties/{name}");
            }
            else if (schema["additionalProperties"] is { } additional)
            {
                Validate(value, additional, $"{at}.{name}", closed, errors, $"{schemaAt}/additionalProperties");
            }
            else if (closed && describesObject)
            {
                errors.Add($"{at}: the property '{name}' is not in the schema ({schemaAt})");
            }
        }
    }

    private JsonNode Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only references into the document are checked, not '{reference}'.");
        }

        var node = document;
        foreach (var segment in reference[2..].Split('/'))
        {
            node = node[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]
                ?? throw new InvalidOperationException($"The reference '{reference}' points at nothing in the document.");
        }

        return node;
    }

    private static bool IsOfType(JsonNode? instance, string type) => type switch
    {
        "null" => instance is null,
        "object" => instance is JsonObject,
        "array" => instance is JsonArray,
        "string" => instance is JsonValue { } s && s.GetValueKind() == JsonValueKind.String,
        "boolean" => instance is JsonValue { } b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => instance is JsonValue { } n && n.GetValueKind() == JsonValueKind.Number,
        "integer" => Number(instance) is { } i && decimal.Truncate(i) == i,
        _ => throw new NotSupportedException($"The type '{type}' is not a JSON Schema type."),
    };

    private static string? FormatError(JsonNode? instance, string format)
    {
        switch (format)
        {
            case "date-time":
                return Text(instance) is { } time && (!DateTime.IsMatch(time) || !DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    ? $"\"{time}\" is not an RFC 3339 date-time"
                    : null;
            case "int32" or "int64":
                var range = format == "int32" ? (Min: (decimal)int.MinValue, Max: (decimal)int.MaxValue) : (Min: long.MinValue, Max: long.MaxValue);
                return Number(instance) is { } number && (number < range.Min || number > range.Max || decimal.Truncate(number) != number)
                    ? $"{number} is not an {format}"
                    : null;
            case "uri":
                return Text(instance) is { } uri && !Uri.TryCreate(uri, UriKind.Absolute, out _) ? $"\"{uri}\" is not an absolute URI" : null;
            default:
                throw new NotSupportedException($"The format '{format}' is not one this validator checks.");
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static decimal? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => node.ToJsonString(),
    };
}
