namespace OrderPayments.Domain;

/// <summary>A validated identifier that travels as a plain string (in JSON, URLs and headers).</summary>
/// <typeparam name="TSelf">The identifier type.</typeparam>
internal interface IStringValue<TSelf>
    where TSelf : struct, IStringValue<TSelf>
{
    /// <summary>The identifier as text.</summary>
    string Value { get; }

    /// <summary>Validates and wraps text; throws <see cref="FormatException"/> with the reason when invalid.</summary>
    static abstract TSelf Parse(string value);
}
