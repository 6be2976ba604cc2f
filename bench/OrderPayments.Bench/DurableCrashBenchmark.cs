using System.Diagnostics;
using System.Globalization;

namespace OrderPayments.Bench;

/// <summary>
/// <c>durable-crash [orders] [kills] [fault %]</c>: crash safety of the Durable path at scale. The Durable worker (the
/// Functions app's orchestration and activities, tools/DurableWorker, Azure Storage backend over Azurite) in a child
/// process, killed with SIGKILL that many times while captures are in flight and restarted on the same task hub, with
/// provider faults on all along (ePayment calls answered 5xx, mutations applied whose answer is lost). Every order must
/// end captured with the right amounts and each capture be applied once at the simulator.
/// </summary>
/// <remarks>
/// The run is the test CI runs with 40 orders and 2 kills (<c>DurableWorkerCrashTests</c>), with these numbers: one
/// piece of code, so the long run checks exactly what CI checks. It is started here as <c>dotnet test</c> in Release
/// with the test's parameters in the environment, and its report (per kill: when the new worker was ready, when a
/// capture was applied again, when the orders waiting at the kill moved on; at the end the totals) is printed as it
/// comes. Needs Node.js for Azurite, which the test installs from eng/azurite.
/// </remarks>
internal static class DurableCrashBenchmark
{
    public static async Task<int> RunAsync(int orders, int kills, int faultPercent)
    {
        var root = BenchAzurite.RepositoryRoot();
        var start = new ProcessStartInfo("dotnet", [
            "test", Path.Combine(root, "tests", "OrderPayments.Durable.Tests"), "-c", "Release",
            "--filter", "FullyQualifiedName~DurableWorkerCrashTests",
            "--logger", "console;verbosity=detailed"])
        {
            WorkingDirectory = root,
        };
        start.Environment["ORDERPAYMENTS_CRASH_ORDERS"] = orders.ToString(CultureInfo.InvariantCulture);
        start.Environment["ORDERPAYMENTS_CRASH_KILLS"] = kills.ToString(CultureInfo.InvariantCulture);
        start.Environment["ORDERPAYMENTS_CRASH_FAULT_PERCENT"] = faultPercent.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine($"durable-crash: {orders} orders, {kills} SIGKILLs of the Durable worker, {faultPercent} % provider faults (5xx, answers lost after apply), Azure Storage backend over Azurite");
        var elapsed = Stopwatch.StartNew();
        using var test = ChildProcesses.Start(start);
        await test.WaitForExitAsync();
        Console.WriteLine($"durable-crash: {(test.ExitCode == 0 ? "passed" : "FAILED")} after {elapsed.Elapsed.TotalMinutes:F1} min (dotnet test exit {test.ExitCode})");
        return test.ExitCode == 0 ? 0 : 1;
    }
}
