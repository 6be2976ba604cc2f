using System.Globalization;
using Microsoft.Data.Sqlite;

namespace PaymentSimulator.Persistence;

/// <summary>
/// What the simulator must not forget across a restart (payments, idempotency records, tokens, webhook registrations,
/// counters, the clock's offset), as JSON rows in one SQLite file (<see cref="SimulatorOptions.DatabasePath"/>). Without
/// a path nothing is written and the simulator lives in memory only (the benchmark's standalone run): every write is
/// then a no-op.
/// </summary>
/// <remarks>
/// One connection, serialized by a lock; each <see cref="Write"/> is one transaction, so a change and the idempotency
/// record that answers for it are kept together or not at all. WAL with <c>synchronous=NORMAL</c>: a process that is
/// killed loses nothing committed; a power cut may lose the last writes (a development tool).
/// </remarks>
internal sealed class SimulatorStore : IDisposable
{
    /// <summary>The layout this version writes (<c>PRAGMA user_version</c>).</summary>
    private const int Version = 1;

    private readonly Lock _lock = new();
    private readonly SqliteConnection? _connection;

    private SimulatorStore(SqliteConnection? connection, string? path)
    {
        _connection = connection;
        Path = path;
    }

    /// <summary>The file, or null when the simulator keeps everything in memory.</summary>
    public string? Path { get; }

    /// <summary>Whether anything is written.</summary>
    public bool IsPersistent => _connection is not null;

    /// <summary>A store that writes nothing.</summary>
    public static SimulatorStore InMemory() => new(null, null);

    /// <summary>Opens (or creates) the file at <paramref name="path"/>; null or empty: <see cref="InMemory"/>.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer simulator.</exception>
    public static SimulatorStore Open(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return InMemory();
        }

        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        // No pooling: the file is closed when the simulator stops (a restarted one, or a test, may open or delete it).
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
        try
        {
            connection.Open();
            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
            if (version > Version)
            {
                throw new InvalidOperationException($"The simulator's file {full} was written by a newer simulator (layout {version}; this one knows {Version}). Delete it to start afresh.");
            }

            Execute(connection, $"""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                PRAGMA busy_timeout = 5000;
                CREATE TABLE IF NOT EXISTS simulator_state (
                    kind TEXT NOT NULL,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (kind, key)) WITHOUT ROWID;
                PRAGMA user_version = {Version};
                """);
            return new SimulatorStore(connection, full);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Every row of <paramref name="kind"/> (key and JSON value); none in memory.</summary>
    public IReadOnlyList<(string Key, string Value)> Load(string kind)
    {
        if (_connection is null)
        {
            return [];
        }

        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT key, value FROM simulator_state WHERE kind = $kind ORDER BY key";
            command.Parameters.AddWithValue("$kind", kind);
            using var reader = command.ExecuteReader();
            var rows = new List<(string, string)>();
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }

            return rows;
        }
    }

    /// <summary>Writes the rows in one transaction: a value replaces the row of its kind and key, a null value deletes it.</summary>
    public void Write(IEnumerable<StoreRow> rows)
    {
        if (_connection is null)
        {
            return;
        }

        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            using var upsert = _connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = "INSERT INTO simulator_state (kind, key, value) VALUES ($kind, $key, $value) ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value";
            var kind = upsert.Parameters.Add("$kind", SqliteType.Text);
            var key = upsert.Parameters.Add("$key", SqliteType.Text);
            var value = upsert.Parameters.Add("$value", SqliteType.Text);
            using var delete = _connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM simulator_state WHERE kind = $kind AND key = $key";
            var deleteKind = delete.Parameters.Add("$kind", SqliteType.Text);
            var deleteKey = delete.Parameters.Add("$key", SqliteType.Text);
            foreach (var row in rows)
            {
                if (row.Value is null)
                {
                    (deleteKind.Value, deleteKey.Value) = (row.Kind, row.Key);
                    delete.ExecuteNonQuery();
                }
                else
                {
                    (kind.Value, key.Value, value.Value) = (row.Kind, row.Key, row.Value);
                    upsert.ExecuteNonQuery();
                }
            }

            transaction.Commit();
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _connection?.Dispose();

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
