using Microsoft.Data.Sqlite;

namespace OrderPayments.Runtime.Storage;

/// <summary>An open connection of <see cref="RuntimeStore"/>'s own pool and its prepared commands, by SQL text.</summary>
internal sealed class PooledConnection(SqliteConnection connection) : IDisposable
{
    public SqliteConnection Connection { get; } = connection;

    public Dictionary<string, SqliteCommand> Commands { get; } = new(StringComparer.Ordinal);

    public void Dispose()
    {
        foreach (var command in Commands.Values)
        {
            command.Dispose();
        }

        Connection.Dispose();
    }
}
