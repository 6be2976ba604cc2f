using Microsoft.Extensions.Options;
using OrderPayments.Api;

// dotnet run --project src/OrderPayments.Api   → http://localhost:5000 with the Vipps simulator embedded and ./data/orders.db
// OrderPayments.Api backup --to FILE          → an online backup of the store (docs/self-hosting.md)
if (StoreBackup.IsCommand(args))
{
    return await StoreBackup.RunAsync(args, Console.Out, Console.Error);
}

try
{
    await ApiApp.Build(args).RunAsync();
    return 0;
}
catch (Exception exception) when (exception is InvalidOperationException or OptionsValidationException)
{
    // A setting or the store refuses the start (the message names what to change): exit 1, which the systemd unit
    // does not restart (deploy/orderpayments.service, RestartPreventExitStatus), instead of aborting on the exception.
    await Console.Error.WriteLineAsync($"OrderPayments.Api did not start: {exception.Message}");
    return 1;
}
