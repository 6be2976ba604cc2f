using FsCheck;
using FsCheck.Fluent;

namespace OrderPayments.Domain.Tests;

/// <summary>Shared FsCheck generators and a fixed-seed configuration, so every run checks the same cases.</summary>
internal static class Generators
{
    private const string IdAlphabet = "abcXYZ019-";

    /// <summary>Quick check that throws on failure; seeded (seed, odd gamma) so every run checks the same 300 cases.</summary>
    public static Config Config { get; } = Config.QuickThrowOnFailure
        .WithMaxTest(300)
        .WithReplay(1729UL, 0x9E3779B97F4A7C15UL);

    /// <summary>Valid order ids of every length from 1 to 60, over a small alphabet so prefixes collide often.</summary>
    public static Gen<OrderId> OrderIds { get; } =
        from length in Gen.OneOf(Gen.Choose(1, 8), Gen.Choose(50, 60))
        from chars in Gen.ArrayOf(Gen.Elements(IdAlphabet.ToCharArray()), length)
        select OrderId.Parse(new string(chars));
}
