namespace PaymentSimulator;

/// <summary>How the simulator delivers what it sends on its own (Vipps webhooks, PayEx callbacks).</summary>
internal static class OutboundDelivery
{
    /// <summary>Delivers whatever is due, then waits for more (woken by <paramref name="pending"/>, or every 50 ms), until stopped.</summary>
    public static async Task RunAsync(Func<IEnumerable<Task>> deliverDue, SemaphoreSlim pending, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.WhenAll(deliverDue());
            try
            {
                await pending.WaitAsync(TimeSpan.FromMilliseconds(50), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Sends the request; true for a 2xx answer within 10 s (no answer counts as a failure, like any non-2xx).</summary>
    public static async Task<bool> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await client.SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
