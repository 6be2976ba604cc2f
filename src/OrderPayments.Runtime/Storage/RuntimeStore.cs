using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace OrderPayments.Runtime.Storage;

/// <summary>
/// The runtime's SQLite file: opens connections with the durability settings (WAL, synchronous FULL, foreign
/// writers wait instead of failing) and creates or migrates the schema on first use.
/// </summary>
public sealed class RuntimeStore : IDisposable
{
    /// <summary>Open connections kept for the next session at most (more are closed when returned).</summary>
    private const int MaxIdleConnections = 32;

    private readonly string _connectionString;
    private readonly Lock _migrating = new();
    private volatile bool _migrated;
    private readonly ConcurrentStack<PooledConnection> _idle = new();
    private volatile bool _disposed;
    private PooledConnection? _writer;

    /// <summary>Creates the store for the configured file.</summary>
    public RuntimeStore(IOptions<RuntimeOptions> options)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(options.Value.DatabasePath),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        States = new StateCache(options.Value.StateCacheSize);
    }

    /// <summary>Committed states this process has parsed lately (see <see cref="StateCache"/>).</summary>
    internal StateCache States { get; }

    /// <summary>
    /// Serializes this process's write transactions on the file (other processes still meet SQLite's lock). Taken only
    /// through <see cref="StoreSession.WriteAsync"/>: waited for asynchronously, never with a blocking wait.
    /// </summary>
    internal SemaphoreSlim WriteGate { get; } = new(1, 1);

    /// <summary>The schema version this code writes.</summary>
    public static int SchemaVersion => RuntimeSchema.Migrations.Count;

    /// <summary>
    /// Creates or migrates the schema once, on first use. A failed attempt (the file locked, the disk full, a newer
    /// schema) is not remembered: the next use tries again, so a process outlives a passing failure at its start.
    /// </summary>
    private void EnsureMigrated()
    {
        if (_migrated)
        {
            return;
        }

        lock (_migrating)
        {
            if (!_migrated)
            {
                Migrate();
                _migrated = true;
            }
        }
    }

    /// <summary>An open connection to a migrated file.</summary>
    public SqliteConnection Open()
    {
        EnsureMigrated();
        return OpenRaw();
    }

    /// <summary>
    /// An open connection with its settings applied and the statements it has prepared, for one session. Connections
    /// are kept open between sessions, so a session neither reopens nor re-applies the pragmas nor parses its SQL
    /// again (Microsoft.Data.Sqlite's own pool keeps the file handle, not the prepared statements).
    /// </summary>
    /// <remarks>
    /// Write sessions (one at a time in this process, under <see cref="WriteGate"/>) take the writer connection. In WAL
    /// mode a connection drops its whole page cache when it finds that another connection committed since its last
    /// transaction; the writer is the one that commits here, so its cache of the pages every step touches (indexes,
    /// recent rows) stays warm from one transaction to the next instead of being read back from the file.
    /// </remarks>
    internal PooledConnection Rent(bool write = false)
    {
        EnsureMigrated();
        if (write && Interlocked.Exchange(ref _writer, null) is { } writer)
        {
            return writer;
        }

        return _idle.TryPop(out var pooled) ? pooled : new PooledConnection(OpenRaw());
    }

    /// <summary>Takes back a connection whose session ended cleanly (no transaction left open, no reader open).</summary>
    internal void Return(PooledConnection pooled, bool write = false)
    {
        if (write && !_disposed && Interlocked.CompareExchange(ref _writer, pooled, null) is null)
        {
            if (_disposed && Interlocked.Exchange(ref _writer, null) is { } lateWriter)
            {
                lateWriter.Dispose();
            }

            return;
        }

        if (_disposed || _idle.Count >= MaxIdleConnections)
        {
            pooled.Dispose();
            return;
        }

        _idle.Push(pooled);
        if (_disposed && _idle.TryPop(out var late))
        {
            late.Dispose();
        }
    }

    /// <summary>Closes the connections kept open.</summary>
    public void Dispose()
    {
        _disposed = true;
        Interlocked.Exchange(ref _writer, null)?.Dispose();
        while (_idle.TryPop(out var pooled))
        {
            pooled.Dispose();
        }
    }

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        // FULL: a committed step survives power loss, not only a process crash. Batching keeps the fsyncs few.
        // temp_store MEMORY: the statement journal of a transaction's savepoints (one per order stepped, one per client
        // write) stays in memory. By default SQLite spills it to a temporary file past 64 KB, which under load was three
        // quarters of the API's write calls (about 130 per order) and a file created and deleted per batch. It only
        // serves to roll a savepoint back; the WAL alone makes a commit durable, so nothing of durability changes.
        pragmas.CommandText = "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; PRAGMA temp_store = MEMORY;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    private bool Migrate()
    {
        using var connection = OpenRaw();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        var version = Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"The runtime file has schema version {version}; this build knows up to {SchemaVersion}. Upgrade the application.");
        }

        for (var next = version + 1; next <= SchemaVersion; next++)
        {
            Execute(connection, transaction, RuntimeSchema.Migrations[next - 1]);
            Execute(connection, transaction, $"PRAGMA user_version = {next};");
        }

        transaction.Commit();
        return true;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
