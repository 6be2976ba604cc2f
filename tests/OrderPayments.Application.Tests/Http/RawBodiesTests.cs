using OrderPayments.Application.Http;

namespace OrderPayments.Application.Tests.Http;

/// <summary>How request bodies are read: exactly the bytes sent, and nothing above the cap.</summary>
public sealed class RawBodiesTests
{
    [Fact]
    public async Task ReadAsync_DeclaredLengthArrivingInPieces_ReturnsEveryByte()
    {
        var sent = Bytes(20_000);

        var read = await RawBodies.ReadAsync(new Trickle(sent, 777), sent.Length, CancellationToken.None);

        read!.Value.ToArray().ShouldBe(sent);
    }

    [Fact]
    public async Task ReadAsync_NoDeclaredLength_ReturnsEveryByte()
    {
        var sent = Bytes(20_000);

        var read = await RawBodies.ReadAsync(new Trickle(sent, 5000), null, CancellationToken.None);

        read!.Value.ToArray().ShouldBe(sent);
    }

    [Fact]
    public async Task ReadAsync_DeclaredLengthAboveTheCap_ReturnsNullWithoutReading()
    {
        var body = new Trickle(Bytes(10), 10);

        var read = await RawBodies.ReadAsync(body, RawBodies.MaxBytes + 1, CancellationToken.None);

        read.ShouldBeNull();
        body.Position.ShouldBe(0);
    }

    [Fact]
    public async Task ReadAsync_MoreBytesThanDeclared_ReturnsNull()
    {
        var read = await RawBodies.ReadAsync(new Trickle(Bytes(101), 64), 100, CancellationToken.None);

        read.ShouldBeNull();
    }

    [Fact]
    public async Task ReadAsync_NoDeclaredLengthAndAboveTheCap_ReturnsNull()
    {
        var read = await RawBodies.ReadAsync(new Trickle(Bytes(RawBodies.MaxBytes + 1), 8192), null, CancellationToken.None);

        read.ShouldBeNull();
    }

    [Fact]
    public async Task ReadAsync_EmptyBodyDeclared_ReturnsNoBytes()
    {
        var read = await RawBodies.ReadAsync(new Trickle([], 1), 0, CancellationToken.None);

        read!.Value.Length.ShouldBe(0);
    }

    private static byte[] Bytes(int count) => Enumerable.Range(0, count).Select(i => (byte)(i * 31)).ToArray();

    /// <summary>A body that hands out at most <c>piece</c> bytes per read, as a socket does.</summary>
    private sealed class Trickle(byte[] bytes, int piece) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], cancellationToken);
    }
}
