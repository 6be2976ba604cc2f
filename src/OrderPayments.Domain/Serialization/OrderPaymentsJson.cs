using System.Text.Json;

namespace OrderPayments.Domain.Serialization;

/// <summary>
/// The JSON contract of every persisted or exchanged message (states, inputs, actions): camelCase, enums as
/// strings, identifiers as plain strings, inputs and actions tagged with a <c>type</c> discriminator. Interpreters
/// use these options so that a state written by one can be read by the other.
/// </summary>
public static class OrderPaymentsJson
{
    /// <summary>The shared options (read-only).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            // A message from a newer version may carry fields this one does not know: ignore, do not fail.
            UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
