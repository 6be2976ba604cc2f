using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Api.Tests;

/// <summary>
/// <c>OrderPayments.Api backup --to FILE</c> (docs/self-hosting.md): an online backup taken while the API runs and orders
/// change, restored into a fresh API, holds every order committed before it began; the store's upgrade rule on start.
/// </summary>
public sealed class StoreBackupTests
{
    [Fact]
    public async Task Backup_WhileTheApiRunsAndOrdersChange_RestoresEveryOrderCommittedBeforeIt()
    {
        var directory = ApiHost.TemporaryDirectory();
        var restoredDirectory = ApiHost.TemporaryDirectory();
        var backup = Path.Combine(ApiHost.TemporaryDirectory(), "orders-backup.db");
        try
        {
            var committed = new List<string>();
            int exitCode;
            var output = new StringWriter();
            var errors = new StringWriter();
            await using (var api = await ApiHost.StartAsync(directory: directory))
            {
                for (var i = 0; i < 20; i++)
                {
                    committed.Add((string)(await api.StartPaymentAsync($"before-{i:00}"))["orderId"]!);
                }

                // Orders keep starting, and the first ones move on (approved, then shipped), while the backup runs.
                using var stop = new CancellationTokenSource();
                var changes = Task.Run(async () =>
                {
                    for (var i = 0; !stop.IsCancellationRequested; i++)
                    {
                        using var started = await api.PutPaymentAsync($"during-{i:000}", ApiHost.StartBody());
                        if (i < committed.Count)
                        {
                            await api.CustomerAsync((string)(await api.GetOrderAsync(committed[i]))["reference"]!, "approve");
                        }
                    }
                });

                await Eventually.Holds(async () =>
                {
                    using var during = await api.Http.GetAsync("api/orders/during-003/payment");
                    return during.IsSuccessStatusCode;
                }, "orders are changing", TimeSpan.FromSeconds(30));
                exitCode = await StoreBackup.RunAsync(["backup", "--to", backup, $"--OrderPayments:Store:Path={Path.Combine(directory, "orders.db")}"], output, errors);
                await stop.CancelAsync();
                await changes;
            }

            exitCode.ShouldBe(0, errors.ToString());
            output.ToString().ShouldContain($"schema version {RuntimeStore.SchemaVersion}");
            File.Copy(backup, Path.Combine(restoredDirectory, "orders.db"));
            await using var restored = await ApiHost.StartAsync(directory: restoredDirectory);

            var ids = await AllOrderIdsAsync(restored);
            committed.ShouldBeSubsetOf(ids);
            ids.Count.ShouldBeGreaterThan(committed.Count, "orders started during the backup, up to its snapshot, are in it too");
            foreach (var id in committed)
            {
                (await restored.GetOrderAsync(id))["orderId"]!.GetValue<string>().ShouldBe(id);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            Directory.Delete(restoredDirectory, recursive: true);
            Directory.Delete(Path.GetDirectoryName(backup)!, recursive: true);
        }
    }

    [Fact]
    public async Task Backup_OfAStoreNoProcessHasOpen_IsWholeAndOneFile()
    {
        var directory = ApiHost.TemporaryDirectory();
        var backup = Path.Combine(directory, "backups", "orders.db");
        await using (var api = await ApiHost.StartAsync(directory: directory))
        {
            await api.StartPaymentAsync("stopped-1");
        }

        SqliteConnection.ClearAllPools();
        try
        {
            var exitCode = await StoreBackup.RunAsync(["backup", "--to", backup, $"--OrderPayments:Store:Path={Path.Combine(directory, "orders.db")}"], new StringWriter(), new StringWriter());

            exitCode.ShouldBe(0);
            File.Exists(backup + "-wal").ShouldBeFalse("a backup is one file");
            File.Exists(backup + ".partial").ShouldBeFalse();
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(backup).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, "a backup holds the webhook secret");
            }

            using var connection = new SqliteConnection($"Data Source={backup};Mode=ReadOnly;Pooling=false");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT id FROM instances";
            (await command.ExecuteScalarAsync()).ShouldBe("stopped-1");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Backup_ToAFileThatExists_RefusesAndLeavesItAsItWas()
    {
        var directory = ApiHost.TemporaryDirectory();
        var target = Path.Combine(directory, "existing.db");
        await File.WriteAllTextAsync(target, "an earlier backup");
        var errors = new StringWriter();
        try
        {
            var exitCode = await StoreBackup.RunAsync(["backup", "--to", target, $"--OrderPayments:Store:Path={target}"], new StringWriter(), errors);

            exitCode.ShouldBe(1);
            errors.ToString().ShouldContain("never overwrites");
            (await File.ReadAllTextAsync(target)).ShouldBe("an earlier backup");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Backup_WithNoStoreAtThePath_FailsAndCreatesNothing()
    {
        var directory = ApiHost.TemporaryDirectory();
        var errors = new StringWriter();
        try
        {
            var exitCode = await StoreBackup.RunAsync(["backup", "--to", Path.Combine(directory, "b.db"), $"--OrderPayments:Store:Path={Path.Combine(directory, "missing.db")}"], new StringWriter(), errors);

            exitCode.ShouldBe(1);
            errors.ToString().ShouldContain("There is no store at");
            Directory.EnumerateFileSystemEntries(directory).ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Backup_WithoutATarget_PrintsUsage()
    {
        var errors = new StringWriter();

        (await StoreBackup.RunAsync(["backup"], new StringWriter(), errors)).ShouldBe(2);
        errors.ToString().ShouldStartWith("Usage: OrderPayments.Api backup --to FILE");
    }

    private static async Task<List<string>> AllOrderIdsAsync(ApiHost api)
    {
        var ids = new List<string>();
        string? after = null;
        do
        {
            using var response = await api.Http.GetAsync($"api/orders?limit=200{(after is null ? "" : "&after=" + after)}");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            ids.AddRange(page["items"]!.AsArray().Select(o => o!["orderId"]!.GetValue<string>()));
            after = page["next"]?.GetValue<string>();
        }
        while (after is not null);

        return ids;
    }
}
