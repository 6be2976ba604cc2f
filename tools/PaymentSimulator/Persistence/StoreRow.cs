namespace PaymentSimulator.Persistence;

/// <summary>One row to write: its kind (what it is), its key within the kind, and its JSON value (null deletes it).</summary>
internal readonly record struct StoreRow(string Kind, string Key, string? Value);
