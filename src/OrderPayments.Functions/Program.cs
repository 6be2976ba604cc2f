using Microsoft.Extensions.Hosting;
using OrderPayments.Functions;

// The Azure Functions isolated worker: the Durable interpreter (src/OrderPayments.Durable) bound as functions.
using var host = FunctionsApp.CreateBuilder().Build();
FunctionsApp.UseRegisteredWebhook(host.Services);
await host.RunAsync();
