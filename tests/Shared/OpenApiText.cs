namespace OrderPayments.Tests.Shared;

/// <summary>
/// Reads schema facts (required fields, property names, enum values) out of an OpenAPI YAML file by indentation,
/// enough to check our models against the official specification without a YAML library.
/// </summary>
internal sealed class OpenApiText
{
    private readonly string[] _lines;

    public OpenApiText(string path) => _lines = File.ReadAllLines(path);

    public IReadOnlyList<string> Required(string schema) => ListAfter(Block(schema), "      required:", 8);

    public IReadOnlyList<string> Properties(string schema)
    {
        var block = Block(schema);
        var start = block.FindIndex(l => l == "      properties:");
        return start < 0
            ? []
            : block.Skip(start + 1)
                .TakeWhile(l => l.Length == 0 || Indent(l) >= 8)
                .Where(l => Indent(l) == 8 && l.TrimEnd().EndsWith(':'))
                .Select(l => l.Trim().TrimEnd(':'))
                .ToList();
    }

    public IReadOnlyList<string> Enum(string schema, string? property = null)
    {
        var block = Block(schema);
        if (property is null)
        {
            return ListAfter(block, "      enum:", 8);
        }

        var start = block.FindIndex(l => l == $"        {property}:");
        start.ShouldBeGreaterThanOrEqualTo(0, $"{schema}.{property} is not in the specification");
        return ListAfter(block.Skip(start).ToList(), "          enum:", 12);
    }

    /// <summary>The declared <c>type</c> of a property (string, integer, boolean, number, array, object), or null when it is a <c>$ref</c>.</summary>
    public string? Type(string schema, string property)
    {
        var block = Block(schema);
        var start = block.FindIndex(l => l == $"        {property}:");
        if (start < 0)
        {
            return null;
        }

        return block.Skip(start + 1)
            .TakeWhile(l => l.Trim().Length == 0 || Indent(l) >= 10)
            .Where(l => Indent(l) == 10 && l.TrimStart().StartsWith("type:", StringComparison.Ordinal))
            .Select(l => l.Trim()["type:".Length..].Trim())
            .FirstOrDefault();
    }

    private List<string> Block(string schema)
    {
        var start = Array.IndexOf(_lines, $"    {schema}:");
        start.ShouldBeGreaterThanOrEqualTo(0, $"schema {schema} is not in the specification");
        return _lines.Skip(start + 1).TakeWhile(l => l.Trim().Length == 0 || Indent(l) > 4).ToList();
    }

    private static List<string> ListAfter(List<string> block, string header, int indent)
    {
        var start = block.FindIndex(l => l == header);
        return start < 0
            ? []
            : block.Skip(start + 1)
                .TakeWhile(l => Indent(l) == indent && l.TrimStart().StartsWith("- ", StringComparison.Ordinal))
                .Select(l => l.Trim()[2..].Trim())
                .ToList();
    }

    private static int Indent(string line) => line.Length - line.TrimStart().Length;
}
