using System.Diagnostics;
using DurableWorker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderPayments.Durable;
using OrderPayments.PayEx;
using OrderPayments.Vipps;

// The Durable interpreter's worker on an Azure Storage task hub (TASKHUB_NAME in AzureWebJobsStorage), configured as
// the Functions app is (its setting names, from the environment): the one composition (AddOrderPaymentsDurable), the
// Vipps provider, PayEx when its token is set. Prints "ready" once it dispatches. Runs until killed, or until its
// standard input closes (a parent holds it, so the worker dies with its parent); then it ends at once, as a crash would.
var builder = Host.CreateApplicationBuilder(args);
var configuration = builder.Configuration;
builder.Services.AddOrderPaymentsDurable(configuration);
builder.Services.AddVipps(configuration);
if (!string.IsNullOrWhiteSpace(configuration["PayEx:AccessToken"]))
{
    builder.Services.AddPayEx(configuration);
}

using var host = builder.Build();
await host.StartAsync();
var settings = AzureStorageEngine.Settings(
    configuration["AzureWebJobsStorage"] ?? throw new InvalidOperationException("Set AzureWebJobsStorage (the connection string)."),
    configuration["TASKHUB_NAME"] ?? throw new InvalidOperationException("Set TASKHUB_NAME."),
    $"worker-{Environment.ProcessId}");
var orders = host.Services.GetRequiredService<DurableOrderPayments>();
await using var engine = await AzureStorageEngine.StartAsync(settings, registry => registry.AddOrderPaymentTasks(() => orders));
Console.WriteLine("ready");

await Console.OpenStandardInput().CopyToAsync(Stream.Null);
using var self = Process.GetCurrentProcess();
self.Kill();
