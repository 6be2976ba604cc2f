namespace OrderPayments.Infra.Tests;

/// <summary>The tests that read the compiled deployment share one compilation (<see cref="CompiledInfra"/>).</summary>
[CollectionDefinition(Name)]
public sealed class UsesCompiledInfra : ICollectionFixture<CompiledInfra>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Compiled infra";
}
