using System.Text.Json;
using Microsoft.DurableTask;
using Moq;
using OrderPayments.Domain;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Functions.Tests;

/// <summary>
/// Drives <see cref="OrderPaymentOrchestration.RunAsync"/> with a Moq mock of <see cref="TaskOrchestrationContext"/>:
/// activities answer from <see cref="Provider"/>, signals come from <see cref="Signals"/> (when none is queued the
/// event wait stays pending), and a durable timer fires at once, moving the orchestration clock to its time.
/// </summary>
internal sealed class OrchestrationHarness
{
    public static readonly DateTime Start = new(2026, 6, 1, 9, 0, 0, DateTimeKind.Utc);

    private readonly Mock<TaskOrchestrationContext> _context = new();
    private Task<string>? _lastWait;

    public OrchestrationHarness(PaymentRequest request)
    {
        Request = request;
        _context.SetupGet(c => c.InstanceId).Returns(request.OrderId.Value);
        _context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
        _context.Setup(c => c.GetInput<string>()).Returns(() => Input);
        _context
            .Setup(c => c.CallActivityAsync<string>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName name, object? input, TaskOptions? _) => Task.FromResult(Answer(name.Name, (string)input!)));
        _context
            .Setup(c => c.WaitForExternalEvent<string>(OrchestrationNames.SignalEvent, It.IsAny<CancellationToken>()))
            .Returns(() => _lastWait = Signals.TryDequeue(out var signal) ? Task.FromResult(signal.ToJson()) : new TaskCompletionSource<string>().Task);
        _context
            .Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns((DateTime fireAt, CancellationToken _) =>
            {
                Timers.Add(fireAt);
                if (_lastWait is { IsCompleted: true })
                {
                    // A signal is already there: it wins, and this timer never fires.
                    return new TaskCompletionSource().Task;
                }

                Now = fireAt > Now ? fireAt : Now;
                return Task.CompletedTask;
            });
        _context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback((object? status) => Statuses.Add(PublishedStatus.FromJson((string)status!)));
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object>(), It.IsAny<bool>())).Callback((object input, bool _) => ContinuedWith = (string)input);
        Input = new OrchestratorInput(request, null, []).ToJson();
    }

    public PaymentRequest Request { get; }

    public TaskOrchestrationContext Context => _context.Object;

    public DateTime Now { get; set; } = Start;

    public string Input { get; set; }

    /// <summary>Signals delivered, one per event wait, in order; an empty queue leaves the wait pending.</summary>
    public Queue<SignalEnvelope> Signals { get; } = new();

    /// <summary>What each activity answers (by activity name) for the requested action.</summary>
    public Func<string, WorkflowAction, WorkflowInput> Provider { get; set; } = (_, action) => new ActivitySucceeded(action.Key);

    public List<string> Calls { get; } = [];

    public List<DateTime> Timers { get; } = [];

    public List<PublishedStatus> Statuses { get; } = [];

    public string? ContinuedWith { get; private set; }

    public Task<string> RunAsync() => OrderPaymentOrchestration.RunAsync(Context, new OrderPaymentWorkflow(new WorkflowOptions()));

    public void Signal(WorkflowInput input, string key) => Signals.Enqueue(new SignalEnvelope(input, key));

    public PaymentObservation Observation(PaymentReference reference, ProviderPaymentState state, long authorized = 0, long captured = 0, long cancelled = 0)
    {
        var currency = Request.Amount.Currency;
        return new(reference, state, new PaymentAggregate(new Money(authorized, currency), new Money(captured, currency), new Money(cancelled, currency), Money.Zero(currency)));
    }

    public static Money Nok(long value) => new(value, Currency.NOK);

    public static PaymentRequest Order(string id = "order-1", long amount = 1000) =>
        new(OrderId.Parse(id), Nok(amount), "Functions test", UserFlow.WebRedirect, "https://shop.example/return");

    private string Answer(string activity, string requestJson)
    {
        var request = ActivityRequest.FromJson(requestJson);
        Calls.Add(activity);
        return JsonSerializer.Serialize(Provider(activity, request.Action), OrderPaymentsJson.Options);
    }
}
