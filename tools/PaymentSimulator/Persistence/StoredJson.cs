using System.Text.Json;

namespace PaymentSimulator.Persistence;

/// <summary>The JSON form of what the simulator stores (its own models, camelCase), read back with the row named when it cannot be.</summary>
internal static class StoredJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <exception cref="InvalidOperationException">The row is not a <typeparamref name="T"/> (written by another version): names the row and the file.</exception>
    public static T Read<T>(SimulatorStore store, string kind, string key, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"The simulator's file {store.Path} holds a {kind} '{key}' this version cannot read ({e.Message}). Delete the file to start afresh.", e);
        }
    }

    /// <summary>Every row of <paramref name="kind"/>, read as <typeparamref name="T"/>.</summary>
    public static IEnumerable<(string Key, T Value)> ReadAll<T>(SimulatorStore store, string kind) =>
        store.Load(kind).Select(row => (row.Key, Read<T>(store, kind, row.Key, row.Value)));
}
