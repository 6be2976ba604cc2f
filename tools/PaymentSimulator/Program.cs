using PaymentSimulator;

// dotnet run --project tools/PaymentSimulator --urls http://127.0.0.1:5080  → base URL http://127.0.0.1:5080/simulator/vipps
await SimulatorApp.Build(args).RunAsync();
