using System.Text.Json;
using OrderPayments.Domain;

namespace OrderPayments.Application.Http;

/// <summary>
/// Reads a request body field by field and collects every problem with its field name, so a client learns all
/// that is wrong at once. Unknown fields are refused (a misspelt optional field must not be silently ignored).
/// </summary>
internal sealed class JsonBody
{
    private readonly JsonElement _root;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    private JsonBody(JsonElement root) => _root = root;

    public List<ApiFieldError> Errors { get; } = [];

    /// <summary>Parses the body; an empty body is an empty object when <paramref name="emptyIsObject"/>.</summary>
    public static (JsonBody? Body, ApiProblem? Problem) Parse(ReadOnlyMemory<byte> bytes, bool emptyIsObject = false)
    {
        if (bytes.IsEmpty || bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return emptyIsObject
                ? (new JsonBody(JsonDocument.Parse("{}").RootElement), null)
                : (null, ApiProblem.MalformedJson("The request needs a JSON object body."));
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (new JsonBody(document.RootElement.Clone()), null)
                : (null, ApiProblem.MalformedJson("The body must be a JSON object."));
        }
        catch (JsonException exception)
        {
            return (null, ApiProblem.MalformedJson($"The body is not valid JSON: {exception.Message}"));
        }
    }

    public void Error(string field, string message) => Errors.Add(new ApiFieldError(field, message));

    /// <summary>A string field; null when absent (an error when required).</summary>
    public string? String(string name, bool required, int maxLength)
    {
        if (!Property(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(name, "Must be a string.");
            return null;
        }

        var text = value.GetString()!;
        if (text.Length == 0 || text.Length > maxLength)
        {
            Error(name, $"Must be 1 to {maxLength} characters long.");
            return null;
        }

        return text;
    }

    /// <summary>An amount <c>{ "currency": "NOK", "value": 1000 }</c> in minor units, more than zero.</summary>
    public Money? Amount(string name, bool required)
    {
        if (!Property(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Error(name, "Must be an object { \"currency\": \"NOK\", \"value\": 1000 } in minor units.");
            return null;
        }

        Currency? currency = null;
        if (!value.TryGetProperty("currency", out var c) || c.ValueKind != JsonValueKind.String)
        {
            Error($"{name}.currency", "Required: NOK, DKK or EUR.");
        }
        else if (!Enum.TryParse<Currency>(c.GetString(), ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed) || c.GetString()!.Any(char.IsDigit))
        {
            Error($"{name}.currency", $"'{c.GetString()}' is not supported; use NOK, DKK or EUR.");
        }
        else
        {
            currency = parsed;
        }

        long? minor = null;
        if (!value.TryGetProperty("value", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var number))
        {
            Error($"{name}.value", "Required: a whole number of minor units (øre, cents).");
        }
        else if (number <= 0)
        {
            Error($"{name}.value", "Must be more than zero.");
        }
        else
        {
            minor = number;
        }

        foreach (var property in value.EnumerateObject())
        {
            if (property.Name is not ("currency" or "value"))
            {
                Error($"{name}.{property.Name}", "Unknown field.");
            }
        }

        return currency is { } cur && minor is { } val ? new Money(val, cur) : null;
    }

    /// <summary>An enum field written as one of <paramref name="names"/> (case-insensitive).</summary>
    public T? Choice<T>(string name, IReadOnlyDictionary<string, T> names, T? fallback)
        where T : struct
    {
        if (!Property(name, required: false, out var value))
        {
            return fallback;
        }

        if (value.ValueKind == JsonValueKind.String && names.TryGetValue(value.GetString()!, out var choice))
        {
            return choice;
        }

        Error(name, $"Must be one of {string.Join(", ", names.Keys)}.");
        return null;
    }

    /// <summary>An array of strings, each one of <paramref name="allowed"/>; null when absent.</summary>
    public IReadOnlyList<string>? Strings(string name, IReadOnlyList<string> allowed)
    {
        if (!Property(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
        {
            Error(name, "Must be an array of strings.");
            return null;
        }

        var items = value.EnumerateArray().Select(item => item.GetString()!).Distinct(StringComparer.Ordinal).ToList();
        if (items.Count == 0)
        {
            Error(name, "Must name at least one value (leave it out for all).");
            return null;
        }

        if (items.FirstOrDefault(item => !allowed.Contains(item)) is { } unknown)
        {
            Error(name, $"'{unknown}' is not one of {string.Join(", ", allowed)}.");
            return null;
        }

        return items;
    }

    /// <summary>Refuses every field not read.</summary>
    public void RefuseUnknownFields()
    {
        foreach (var property in _root.EnumerateObject())
        {
            if (!_known.Contains(property.Name))
            {
                Error(property.Name, "Unknown field.");
            }
        }
    }

    private bool Property(string name, bool required, out JsonElement value)
    {
        _known.Add(name);
        if (_root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            Error(name, "Required.");
        }

        return false;
    }
}
