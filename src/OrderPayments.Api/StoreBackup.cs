using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OrderPayments.Api;

/// <summary>
/// <c>OrderPayments.Api backup --to FILE</c>: an online backup of the store while the API runs, with SQLite's backup API
/// (one pass over a consistent snapshot: in WAL mode the API keeps writing meanwhile). The copy is written beside the
/// target and renamed into place once it is complete and passes <c>PRAGMA integrity_check</c>, so a backup that exists
/// is whole; it is readable by its owner only. The store is found from the same configuration as the API's (<c>OrderPayments:Store:Path</c>, appsettings,
/// environment, command line).
/// </summary>
internal static class StoreBackup
{
    /// <summary>The command's name, the first argument.</summary>
    public const string Command = "backup";

    private const string Usage = "Usage: OrderPayments.Api backup --to FILE [--OrderPayments:Store:Path=STORE]";

    /// <summary>Whether the arguments ask for this command rather than the server.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == Command;

    /// <summary>The store file the API and this command use (<c>Runtime:DatabasePath</c>, else <c>OrderPayments:Store:Path</c>).</summary>
    public static string StorePath(IConfiguration configuration, ApiOptions settings) =>
        configuration["Runtime:DatabasePath"] ?? settings.Store.Path;

    /// <summary>Runs the command: 0 when the backup is written and checked, 1 when it failed, 2 on bad usage.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var rest = args.Skip(1).ToList();
        var at = rest.IndexOf("--to");
        if (at < 0 || at + 1 >= rest.Count || string.IsNullOrWhiteSpace(rest[at + 1]))
        {
            await errors.WriteLineAsync(Usage);
            return 2;
        }

        var target = Path.GetFullPath(rest[at + 1]);
        rest.RemoveRange(at, 2);
        var builder = WebApplication.CreateSlimBuilder([.. rest]);
        var settings = builder.Configuration.GetSection(ApiOptions.SectionName).Get<ApiOptions>() ?? new ApiOptions();
        var source = Path.GetFullPath(StorePath(builder.Configuration, settings));
        if (!File.Exists(source))
        {
            await errors.WriteLineAsync($"There is no store at {source} (OrderPayments:Store:Path).");
            return 1;
        }

        if (File.Exists(target))
        {
            await errors.WriteLineAsync($"{target} exists: a backup never overwrites a file; name a new one.");
            return 1;
        }

        var time = Stopwatch.StartNew();
        var partial = target + ".partial";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var (schema, orders) = Copy(source, partial);
            File.Move(partial, target);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Backed up {source} to {target}: schema version {schema}, {orders} orders, {new FileInfo(target).Length} bytes, in {time.Elapsed.TotalSeconds:0.0} s."));
            return 0;
        }
        catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            File.Delete(partial);
            await errors.WriteLineAsync($"The backup of {source} failed: {exception.Message}");
            return 1;
        }
    }

    /// <summary>Copies the store into <paramref name="target"/> and checks the copy; returns its schema version and order count.</summary>
    private static (long Schema, long Orders) Copy(string source, string target)
    {
        // The copy holds the webhook secret and the orders: readable by its owner only, whatever the umask.
        if (!OperatingSystem.IsWindows())
        {
            using var created = new FileStream(target, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
        }

        // Read-only and unpooled: the command never creates or changes the store, and leaves no handle open on either file.
        using (var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 30 }.ToString()))
        using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
        {
            from.Open();
            to.Open();
            from.BackupDatabase(to);
        }

        using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        copy.Open();
        var integrity = Scalar(copy, "PRAGMA integrity_check;");
        if (!string.Equals(integrity as string, "ok", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the copy fails SQLite's integrity check: {integrity}");
        }

        // One file, no -wal beside it: the copy is restored by copying this file alone.
        Scalar(copy, "PRAGMA journal_mode = DELETE;");
        return (Convert.ToInt64(Scalar(copy, "PRAGMA user_version;"), CultureInfo.InvariantCulture), Convert.ToInt64(Scalar(copy, "SELECT count(*) FROM instances;"), CultureInfo.InvariantCulture));
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
