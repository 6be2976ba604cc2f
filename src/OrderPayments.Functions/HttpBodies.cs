using Microsoft.Azure.Functions.Worker.Http;

namespace OrderPayments.Functions;

/// <summary>Reads a request body as the raw bytes the shared handlers (and signature checks) need, capped in size.</summary>
internal static class HttpBodies
{
    /// <summary>The body, or empty when it is larger than the cap (the handlers then refuse it as missing).</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequestData request)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.FunctionContext.CancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The same cap as the self-hosted API.</summary>
    public const int MaxBytes = 64 * 1024;
}
