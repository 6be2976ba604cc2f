using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace OrderPayments.Domain;

/// <summary>
/// The storefront's order id, which is also the workflow instance id: 1 to 60 characters of
/// <c>A-Z a-z 0-9 -</c>. Case-sensitive.
/// </summary>
[JsonConverter(typeof(StringValueJsonConverter<OrderId>))]
public readonly record struct OrderId : IStringValue<OrderId>
{
    /// <summary>The longest order id accepted.</summary>
    public const int MaxLength = 60;

    private OrderId(string value) => Value = value;

    /// <summary>The order id as given.</summary>
    public string Value { get; }

    /// <summary>Validates an order id.</summary>
    /// <exception cref="FormatException">The text is empty, longer than 60 characters or has a character outside <c>A-Za-z0-9-</c>; the message says which.</exception>
    public static OrderId Parse(string value) =>
        TryParse(value, out var id, out var error) ? id : throw new FormatException(error);

    /// <summary>Validates an order id without throwing.</summary>
    /// <param name="value">The candidate text.</param>
    /// <param name="orderId">The order id when valid.</param>
    /// <param name="error">Why the text is not a valid order id, when it is not.</param>
    public static bool TryParse(string? value, out OrderId orderId, [NotNullWhen(false)] out string? error)
    {
        orderId = default;
        error = Identifiers.Check(value, "order id", 1, MaxLength);
        if (error is not null)
        {
            return false;
        }

        orderId = new OrderId(value!);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
