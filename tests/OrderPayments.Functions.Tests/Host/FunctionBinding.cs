using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace OrderPayments.Functions.Tests.Host;

/// <summary>One function of the app, as the worker knows it: its name, the class and method behind it, and its trigger.</summary>
/// <param name="Name">The function's name (<see cref="FunctionAttribute"/>).</param>
/// <param name="Method">The method the worker invokes.</param>
/// <param name="Trigger">The trigger attribute of its trigger parameter.</param>
internal sealed record FunctionBinding(string Name, MethodInfo Method, Attribute Trigger)
{
    /// <summary>Every function the app declares, by name.</summary>
    public static IReadOnlyDictionary<string, FunctionBinding> All { get; } = typeof(FunctionsApp).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>()))
        .Where(f => f.Function is not null)
        .ToDictionary(
            f => f.Function!.Name,
            f => new FunctionBinding(
                f.Function!.Name,
                f.Method,
                f.Method.GetParameters().SelectMany(p => p.GetCustomAttributes()).Single(a => a.GetType().Name.EndsWith("TriggerAttribute", StringComparison.Ordinal))),
            StringComparer.Ordinal);

    /// <summary>The classes that declare functions (what the worker's activator must be able to create).</summary>
    public static IReadOnlyList<Type> Classes { get; } = [.. All.Values.Select(f => f.Method.DeclaringType!).Distinct()];
}
