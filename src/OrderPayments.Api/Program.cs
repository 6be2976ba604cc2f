using OrderPayments.Api;

// dotnet run --project src/OrderPayments.Api   → http://localhost:5000 with the Vipps simulator embedded and ./data/orders.db
await ApiApp.Build(args).RunAsync();
