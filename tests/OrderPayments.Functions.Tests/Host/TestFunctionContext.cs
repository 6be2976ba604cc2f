using Microsoft.Azure.Functions.Worker;

namespace OrderPayments.Functions.Tests.Host;

/// <summary>
/// A function invocation's context, as the worker gives one to every function: the invocation's services (a scope of the
/// worker's container, from which the worker's activator creates the function class) and its cancellation. What our
/// functions do not use (binding data, trace context, the function's definition) is not played.
/// </summary>
internal sealed class TestFunctionContext(string functionName, IServiceProvider services, CancellationToken cancellationToken) : FunctionContext
{
    private static long s_invocations;

    public override string InvocationId { get; } = "invocation-" + Interlocked.Increment(ref s_invocations);

    public override string FunctionId => functionName;

    public override TraceContext TraceContext => throw new NotSupportedException("Not played by the test host.");

    public override BindingContext BindingContext => throw new NotSupportedException("Not played by the test host.");

    public override RetryContext RetryContext => throw new NotSupportedException("Not played by the test host.");

    public override IServiceProvider InstanceServices { get; set; } = services;

    public override FunctionDefinition FunctionDefinition => throw new NotSupportedException("Not played by the test host.");

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => throw new NotSupportedException("Not played by the test host.");

    public override CancellationToken CancellationToken => cancellationToken;
}
