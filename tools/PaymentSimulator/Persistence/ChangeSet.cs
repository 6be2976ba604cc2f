namespace PaymentSimulator.Persistence;

/// <summary>
/// The rows one operation changed, collected under its owner's lock and written together, in one transaction, when the
/// operation ends (<see cref="Locked"/>). A row's value is taken then: the object as the operation left it. Collects
/// nothing when the store keeps nothing (the in-memory simulator pays no more than a check).
/// </summary>
internal sealed class ChangeSet(SimulatorStore store)
{
    private readonly Dictionary<(string Kind, string Key), Func<string?>> _rows = [];

    /// <summary>Writes the row of <paramref name="kind"/> and <paramref name="key"/> with <paramref name="value"/>'s result (null deletes it) at the next commit.</summary>
    public void Put(string kind, string key, Func<string?> value)
    {
        if (store.IsPersistent)
        {
            _rows[(kind, key)] = value;
        }
    }

    /// <summary>Runs <paramref name="action"/> under <paramref name="gate"/> (the owner's lock) and commits what it put before the gate is let go.</summary>
    public T Locked<T>(Lock gate, Func<T> action)
    {
        lock (gate)
        {
            try
            {
                return action();
            }
            finally
            {
                Commit();
            }
        }
    }

    /// <summary>Writes what was put since the last commit, in one transaction; the set is empty afterwards, written or not.</summary>
    private void Commit()
    {
        if (_rows.Count == 0)
        {
            return;
        }

        try
        {
            store.Write([.. _rows.Select(row => new StoreRow(row.Key.Kind, row.Key.Key, row.Value()))]);
        }
        finally
        {
            _rows.Clear();
        }
    }
}
