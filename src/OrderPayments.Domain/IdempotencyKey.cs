using System.Globalization;
using System.Text.Json.Serialization;

namespace OrderPayments.Domain;

/// <summary>
/// The key that makes a provider call safe to repeat (Vipps: the <c>Idempotency-Key</c> header, at most 50
/// characters). Derived by the workflow, never invented by a client, so a retried call is the same call.
/// Every action the workflow emits carries one, and it also identifies the action's result.
/// </summary>
[JsonConverter(typeof(StringValueJsonConverter<IdempotencyKey>))]
public readonly record struct IdempotencyKey : IStringValue<IdempotencyKey>
{
    /// <summary>The longest key Vipps accepts.</summary>
    public const int MaxLength = 50;

    private const int MaxOperationLength = 8;

    private IdempotencyKey(string value) => Value = value;

    /// <summary>The key as sent to the provider.</summary>
    public string Value { get; }

    /// <summary>
    /// Derives <c>{orderId}-{attempt}-{operation}-{sequence}</c>, e.g. <c>order-42-1-capture-2</c>; when that
    /// exceeds 50 characters the order-id part is shortened by a stable hash. The same inputs always give the
    /// same key, and different inputs give different keys (up to a 50-bit hash collision for long order ids).
    /// </summary>
    /// <param name="orderId">The order.</param>
    /// <param name="attempt">The payment attempt, from 1.</param>
    /// <param name="operation">The operation, 1 to 8 lowercase letters (see <c>KeyOperations</c>).</param>
    /// <param name="sequence">The operation's sequence number within the order, from 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A number is below 1.</exception>
    /// <exception cref="ArgumentException">The operation is not 1 to 8 lowercase letters.</exception>
    public static IdempotencyKey For(OrderId orderId, int attempt, string operation, int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        if (operation.Length is 0 or > MaxOperationLength || !operation.All(char.IsAsciiLetterLower))
        {
            throw new ArgumentException($"The operation must be 1 to {MaxOperationLength} lowercase letters; got '{operation}'.", nameof(operation));
        }

        var suffix = string.Create(CultureInfo.InvariantCulture, $"-{attempt}-{operation}-{sequence}");
        return new IdempotencyKey(Identifiers.Compose(orderId, suffix, MaxLength));
    }

    /// <summary>Validates a key received from outside (a webhook or event log echoes the key of its request).</summary>
    /// <exception cref="FormatException">The text is not 1 to 50 characters of <c>A-Za-z0-9-</c>.</exception>
    public static IdempotencyKey Parse(string value) =>
        Identifiers.Check(value, "idempotency key", 1, MaxLength) is { } error
            ? throw new FormatException(error)
            : new IdempotencyKey(value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
