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
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        if (contentLength > MaxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
