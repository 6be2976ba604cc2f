using OrderPayments.Bench;

// dotnet run -c Release --project bench/OrderPayments.Bench -- dispatcher [orders]
return args switch
{
    ["dispatcher", var count] => await DispatcherBenchmark.RunAsync(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture)),
    ["dispatcher"] => await DispatcherBenchmark.RunAsync(5000),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: OrderPayments.Bench dispatcher [orders]");
    return 2;
}
