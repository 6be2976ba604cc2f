using Microsoft.Data.Sqlite;
using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.CrashHost;

/// <summary>
/// A provider whose payments, applied operations and calls live in their own SQLite file, so they survive the
/// process being killed: idempotent by key like Vipps (a key is applied once; repeats return the first outcome).
/// Payments are authorized as soon as they are created.
/// </summary>
internal sealed class FileBackedProvider : IPaymentProvider
{
    private readonly string _connectionString;

    public FileBackedProvider(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        Execute(connection, null, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS payments (reference TEXT PRIMARY KEY, amount INTEGER, captured INTEGER, cancelled INTEGER, refunded INTEGER);
            CREATE TABLE IF NOT EXISTS ops (key TEXT PRIMARY KEY, reference TEXT, kind TEXT, amount INTEGER);
            CREATE TABLE IF NOT EXISTS calls (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT, kind TEXT);
            """);
    }

    /// <summary>A provider call takes about this long, like a real one over the network.</summary>
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(10);

    public PaymentProvider Provider => PaymentProvider.Vipps;

    public async Task<CreatedPayment> CreateAsync(CreatePayment action, CancellationToken cancellationToken)
    {
        await Apply(action, "INSERT OR IGNORE INTO payments VALUES ($ref, $amount, 0, 0, 0)", action.Amount.Value, cancellationToken);
        return new CreatedPayment($"https://landing.example/{action.Reference}");
    }

    public async Task<PaymentObservation> QueryAsync(QueryPayment action, CancellationToken cancellationToken)
    {
        await Task.Delay(Latency, cancellationToken);
        return Observe(action.Reference);
    }

    public async Task<PaymentObservation> CaptureAsync(CapturePayment action, CancellationToken cancellationToken)
    {
        await Apply(action, "UPDATE payments SET captured = captured + $amount WHERE reference = $ref", action.Amount.Value, cancellationToken);
        return Observe(action.Reference);
    }

    public async Task<PaymentObservation> CancelAsync(CancelPayment action, CancellationToken cancellationToken)
    {
        await Apply(action, "UPDATE payments SET cancelled = amount - captured WHERE reference = $ref", 0, cancellationToken);
        return Observe(action.Reference);
    }

    public async Task<PaymentObservation> RefundAsync(RefundPayment action, CancellationToken cancellationToken)
    {
        await Apply(action, "UPDATE payments SET refunded = refunded + $amount WHERE reference = $ref", action.Amount.Value, cancellationToken);
        return Observe(action.Reference);
    }

    public Task<PaymentObservation> AbortAsync(AbortPayment action, CancellationToken cancellationToken) =>
        Task.FromException<PaymentObservation>(new PaymentProviderException("not-supported", "No abort.", isTransient: false));

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Records the call; applies the operation only if its key was never applied. One transaction, after a network-like pause.</summary>
    private async Task Apply(WorkflowAction action, string sql, long amount, CancellationToken cancellationToken)
    {
        await Task.Delay(Latency, cancellationToken);
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "INSERT INTO calls (key, kind) VALUES ($key, $kind)", ("$key", action.Key.Value), ("$kind", action.Kind.ToString()));
        var fresh = Execute(connection, transaction, "INSERT OR IGNORE INTO ops VALUES ($key, $ref, $kind, $amount)",
            ("$key", action.Key.Value), ("$ref", action.Reference.Value), ("$kind", action.Kind.ToString()), ("$amount", amount)) == 1;
        if (fresh)
        {
            Execute(connection, transaction, sql, ("$ref", action.Reference.Value), ("$amount", amount));
        }

        transaction.Commit();
    }

    private PaymentObservation Observe(PaymentReference reference)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT amount, captured, cancelled, refunded FROM payments WHERE reference = $ref";
        command.Parameters.AddWithValue("$ref", reference.Value);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new PaymentProviderException("404", $"No payment {reference}.", isTransient: false);
        }

        Money Nok(int column) => new(reader.GetInt64(column), Currency.NOK);
        return new PaymentObservation(reference, ProviderPaymentState.Authorized, new PaymentAggregate(Nok(0), Nok(1), Nok(2), Nok(3)));
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }
}
