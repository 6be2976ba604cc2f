namespace OrderPayments.Application.Http;

/// <summary>How both hosts read a request body: the raw bytes (signatures are computed over them), capped in size.</summary>
public static class RawBodies
{
    /// <summary>The largest body read (64 KiB); requests are small JSON documents.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The answer to a body above <see cref="MaxBytes"/> (413).</summary>
    public static ApiResponse TooLarge { get; } = ApiResponse.Problem(
        new ApiProblem(ApiProblem.Urn("body-too-large"), "The body is too large.", 413, $"Request bodies are at most {MaxBytes} bytes."));

    /// <summary>The body's bytes, or null when it is larger than <see cref="MaxBytes"/> (by its declared length or as read).</summary>
    /// <remarks>
    /// With a declared length (every request here has one) the body is read into an array of that size, one allocation
    /// per request; a body that turns out longer than declared is refused like one above the cap. Without one it is
    /// read in chunks of a pooled buffer.
    /// </remarks>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        if (contentLength > MaxBytes)
        {
            return null;
        }

        if (contentLength is { } length)
        {
            var bytes = new byte[length];
            var filled = 0;
            int read;
            while (filled < bytes.Length && (read = await body.ReadAsync(bytes.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += read;
            }

            // Shorter than declared: what came (the server refuses a truncated body itself); longer: refused.
            if (await body.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) > 0)
            {
                return null;
            }

            return bytes.AsMemory(0, filled);
        }

        using var buffer = new MemoryStream();
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }
}
