using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderPayments.Application.Payments;
using OrderPayments.Runtime;
using OrderPayments.Runtime.CrashHost;

// Usage: OrderPayments.Runtime.CrashHost <runtime.db> <provider.db>
var builder = Host.CreateApplicationBuilder();
builder.Configuration["Runtime:DatabasePath"] = args[0];
builder.Configuration["Runtime:LeaseDuration"] = "00:00:00.500";
builder.Configuration["Runtime:MaxBatchSize"] = "16";
builder.Configuration["Runtime:MaxConcurrentActivities"] = "4";
builder.Configuration["Workflow:FirstPollDelay"] = "00:00:00.050";
builder.Configuration["Workflow:MaxPollInterval"] = "00:00:00.200";
builder.Services.AddSingleton<IPaymentProvider>(new FileBackedProvider(args[1]));
builder.Services.AddOrderPaymentsRuntime(builder.Configuration);
await builder.Build().RunAsync();
