using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Payments;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions.CrashHost;
using OrderPayments.Functions.Notifications;
using OrderPayments.Functions.Signals;
using OrderPayments.Vipps;

// The Functions app's Durable worker for the crash tests: the sidecar with its dispatcher and the worker with the app's
// orchestrator and activities, on the Azure Storage task hub TASKHUB_NAME in AzureWebJobsStorage, the signal inbox in
// the table SignalInbox:TableName, the Vipps provider from the Vipps section (the app's own setting names, from the
// environment). Prints "ready" once it dispatches. Runs until killed, or until its standard input closes (the test
// process holds it, so the host dies with its parent); then it ends at once, as a crash would.
var builder = Host.CreateApplicationBuilder(args);
var configuration = builder.Configuration;
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection("Workflow"));
builder.Services.AddSingleton(sp => new OrderPaymentWorkflow(sp.GetRequiredService<IOptions<WorkflowOptions>>().Value));
builder.Services.AddSingleton<PaymentActivities>();
builder.Services.AddVipps(configuration);
using var host = builder.Build();
await host.StartAsync();

var services = host.Services;
var inbox = new TableSignalInbox(SignalInboxStorage.Table(configuration));
var settings = AzureStorageEngine.Settings(
    configuration["AzureWebJobsStorage"] ?? throw new InvalidOperationException("Set AzureWebJobsStorage (the connection string)."),
    configuration["TASKHUB_NAME"] ?? throw new InvalidOperationException("Set TASKHUB_NAME."),
    $"crashhost-{Environment.ProcessId}");
await using var engine = await AzureStorageEngine.StartAsync(settings, registry => OrderPaymentTasks.Register(
    registry,
    services.GetRequiredService<OrderPaymentWorkflow>,
    services.GetRequiredService<PaymentActivities>,
    inbox,
    new TableNotificationStore(SignalInboxStorage.Table(configuration, TableNotificationStore.DefaultTableName), TimeProvider.System)));
Console.WriteLine("ready");

await Console.OpenStandardInput().CopyToAsync(Stream.Null);
using var self = Process.GetCurrentProcess();
self.Kill();
