using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace OrderPayments.Functions.Signals;

/// <summary>Where the signal inbox lives: a table in the app's own storage account (<c>AzureWebJobsStorage</c>).</summary>
internal static class SignalInboxStorage
{
    /// <summary>The setting that names the inbox table (default <see cref="TableSignalInbox.DefaultTableName"/>).</summary>
    public const string TableNameSetting = "SignalInbox:TableName";

    /// <summary>
    /// The inbox table, reached the way the Functions host reaches <c>AzureWebJobsStorage</c>: a connection string
    /// (local, Azurite), or identity-based settings (<c>AzureWebJobsStorage__accountName</c> or
    /// <c>__tableServiceUri</c>, with <c>__clientId</c> for a user-assigned managed identity).
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither form is configured.</exception>
    public static TableClient Table(IConfiguration configuration) =>
        Table(configuration, configuration[TableNameSetting] is { Length: > 0 } name ? name : TableSignalInbox.DefaultTableName);

    /// <summary>The table <paramref name="tableName"/> in the app's storage account, reached as above.</summary>
    /// <exception cref="InvalidOperationException">Neither form is configured.</exception>
    public static TableClient Table(IConfiguration configuration, string tableName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration["AzureWebJobsStorage"] is { Length: > 0 } connectionString)
        {
            return new TableClient(connectionString, tableName);
        }

        var section = configuration.GetSection("AzureWebJobsStorage");
        var serviceUri = section["tableServiceUri"] is { Length: > 0 } uri
            ? new Uri(uri)
            : section["accountName"] is { Length: > 0 } account
                ? new Uri($"https://{account}.table.core.windows.net")
                : throw new InvalidOperationException("Set AzureWebJobsStorage (a connection string) or AzureWebJobsStorage__accountName: the signal inbox and the storefront notifications live in the app's storage account.");
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = section["clientId"] });
        return new TableServiceClient(serviceUri, credential).GetTableClient(tableName);
    }
}
