using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using OrderPayments.Application.Hosting;

namespace OrderPayments.Durable;

/// <summary>Where the Durable interpreter's tables live: the app's own storage account (<c>AzureWebJobsStorage</c>), beside the task hub.</summary>
public static class StorageTables
{
    /// <summary>
    /// The table service, reached the way the Functions host reaches <c>AzureWebJobsStorage</c>: a connection string
    /// (local, Azurite), or identity-based settings (<c>AzureWebJobsStorage__accountName</c> or
    /// <c>__tableServiceUri</c>, with <c>__clientId</c> for a user-assigned managed identity).
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither form is configured.</exception>
    public static TableServiceClient Service(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[HostSettings.AzureWebJobsStorage] is { Length: > 0 } connectionString)
        {
            return new TableServiceClient(connectionString);
        }

        var section = configuration.GetSection(HostSettings.AzureWebJobsStorage);
        var serviceUri = section["tableServiceUri"] is { Length: > 0 } uri
            ? new Uri(uri)
            : section["accountName"] is { Length: > 0 } account
                ? new Uri($"https://{account}.table.core.windows.net")
                : throw new InvalidOperationException("Set AzureWebJobsStorage (a connection string) or AzureWebJobsStorage__accountName: the orders' inboxes, rows and notifications live in the app's storage account.");
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = section["clientId"] });
        return new TableServiceClient(serviceUri, credential);
    }
}
