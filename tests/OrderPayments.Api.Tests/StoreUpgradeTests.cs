using Microsoft.Data.Sqlite;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Api.Tests;

/// <summary>
/// Upgrades (docs/self-hosting.md): a newer binary migrates the store when it starts; an older binary that meets a store
/// a newer one migrated refuses to start, names both versions, and leaves the file as it was.
/// </summary>
public sealed class StoreUpgradeTests
{
    [Fact]
    public async Task Start_StoreOfANewerSchemaVersion_RefusesToStartAndLeavesTheFileAsItWas()
    {
        var directory = ApiHost.TemporaryDirectory();
        var path = Path.Combine(directory, "orders.db");
        var newer = RuntimeStore.SchemaVersion + 1;
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA journal_mode = WAL; CREATE TABLE from_the_future (x INTEGER); PRAGMA user_version = {newer};";
            command.ExecuteNonQuery();
        }

        var before = Schema(path);
        try
        {
            var exception = await Should.ThrowAsync<Exception>(async () =>
            {
                await using var api = await ApiHost.StartAsync(directory: directory);
            });

            exception.ToString().ShouldContain($"The runtime file has schema version {newer}; this build knows up to {RuntimeStore.SchemaVersion}. Upgrade the application.");
            SqliteConnection.ClearAllPools();
            Schema(path).ShouldBe(before, "the version and the tables are as the newer binary left them");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The file's schema version and its schema objects.</summary>
    private static string Schema(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT user_version FROM pragma_user_version) || ': ' || group_concat(type || ' ' || name, ', ') FROM (SELECT type, name FROM sqlite_master ORDER BY name)";
        return (string)command.ExecuteScalar()!;
    }
}
