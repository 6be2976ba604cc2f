namespace OrderPayments.Durable;

/// <summary>Settings of the Durable interpreter (<c>Durable</c> configuration section); its tables live in the app's storage account (<c>AzureWebJobsStorage</c>).</summary>
public sealed class DurableOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Durable";

    /// <summary>The table of the orders' signal inboxes (default <c>OrderPaymentSignals</c>).</summary>
    public string SignalsTable { get; set; } = "OrderPaymentSignals";

    /// <summary>The table of the orders' rows: whole state, listing, what is left of a purged order (default <c>OrderPaymentOrders</c>).</summary>
    public string OrdersTable { get; set; } = "OrderPaymentOrders";

    /// <summary>The table of storefront notification endpoints and deliveries (default <c>OrderPaymentNotifications</c>).</summary>
    public string NotificationsTable { get; set; } = "OrderPaymentNotifications";

    /// <summary>
    /// How long a finished order (Cancelled or Completed) keeps its orchestration instance (history included), its inbox
    /// and its storefront deliveries after its last step (default 30 days, as the embedded runtime's
    /// <c>Runtime:FinishedOrderRetention</c>). Then they are purged; its row in the orders table stays, so its status
    /// still answers, a repeated start is answered from it, and a late notification is absorbed by its final state.
    /// <c>00:00:00</c> keeps everything.
    /// </summary>
    public TimeSpan FinishedOrderRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The most finished orders purged in one run of the purge (default 100; the rest in the next run).</summary>
    public int PurgeBatchSize { get; set; } = 100;

    /// <summary>
    /// Record storefront events for orders started from now on (<c>Notifications:Enabled</c>, default true; fixed per
    /// order at its start, so a replay never differs).
    /// </summary>
    public bool RecordStorefrontEvents { get; set; } = true;

    /// <summary>What is wrong with these settings (empty when they are usable).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (name, table) in new[] { (nameof(SignalsTable), SignalsTable), (nameof(OrdersTable), OrdersTable), (nameof(NotificationsTable), NotificationsTable) })
        {
            if (string.IsNullOrEmpty(table) || table.Length is < 3 or > 63 || !char.IsAsciiLetter(table[0]) || !table.All(char.IsAsciiLetterOrDigit))
            {
                problems.Add($"{SectionName}:{name} must be an Azure Storage table name: 3 to 63 letters and digits, starting with a letter.");
            }
        }

        if (FinishedOrderRetention < TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:FinishedOrderRetention must not be negative (00:00:00 keeps everything).");
        }

        if (PurgeBatchSize is < 1 or > 1000)
        {
            problems.Add($"{SectionName}:PurgeBatchSize must be 1 to 1000.");
        }

        return problems;
    }
}
