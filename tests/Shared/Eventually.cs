using System.Diagnostics;

namespace OrderPayments.Tests.Shared;

/// <summary>Polls a condition until it holds, with a deadline: how tests wait, never by sleeping a fixed time.</summary>
internal static class Eventually
{
    public static async Task Holds(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            if (elapsed.Elapsed > (within ?? TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException($"Timed out waiting for: {what}.");
            }

            await Task.Delay(10);
        }
    }

    public static Task Holds(Func<bool> condition, string what, TimeSpan? within = null) =>
        Holds(() => Task.FromResult(condition()), what, within);
}
