using System.Text.Json;
using Microsoft.DurableTask;
using Moq;
using OrderPayments.Domain;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions.Signals;

namespace OrderPayments.Functions.Tests;

/// <summary>
/// Drives <see cref="OrderPaymentOrchestration.RunAsync"/> with a Moq mock of <see cref="TaskOrchestrationContext"/>:
/// activities answer from <see cref="Provider"/>; the harness plays the order's signal inbox (the drain activity takes
/// from <see cref="Inbox"/>, and each <see cref="Signal"/> rings the doorbell once; with no ring pending the event
/// wait stays pending); a durable timer fires at once, moving the orchestration clock to its time (or
/// <see cref="TimerEarliness"/> before it, as the Azure Storage backend may).
/// </summary>
internal sealed class OrchestrationHarness
{
    public static readonly DateTime Start = new(2026, 6, 1, 9, 0, 0, DateTimeKind.Utc);

    private readonly Mock<TaskOrchestrationContext> _context = new();
    private Task<string>? _lastWait;
    private int _rings;

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
            .Returns(() => _lastWait = _rings > 0 && _rings-- > 0 ? Task.FromResult("ring") : new TaskCompletionSource<string>().Task);
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

                var firedAt = fireAt - TimerEarliness;
                Now = firedAt > Now ? firedAt : Now;
                return Task.CompletedTask;
            });
        _context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback((object? status) => Statuses.Add(PublishedStatus.FromJson((string)status!)));
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object>(), It.IsAny<bool>())).Callback((object input, bool _) => ContinuedWith = (string)input);
        Input = new OrchestratorInput(request, null).ToJson();
    }

    public PaymentRequest Request { get; }

    public TaskOrchestrationContext Context => _context.Object;

    public DateTime Now { get; set; } = Start;

    public string Input { get; set; }

    /// <summary>Signals recorded in the inbox and not yet drained, in order.</summary>
    public Queue<SignalEnvelope> Inbox { get; } = new();

    /// <summary>Outcomes the drains recorded, in order.</summary>
    public List<AppliedSignal> Recorded { get; } = [];

    /// <summary>How long before its time a durable timer fires (the Azure Storage backend fires up to about 1 s early).</summary>
    public TimeSpan TimerEarliness { get; set; } = TimeSpan.Zero;

    /// <summary>Whether the inbox was closed (the order ended with nothing left to apply).</summary>
    public bool Closed { get; private set; }

    /// <summary>What each activity answers (by activity name) for the requested action.</summary>
    public Func<string, WorkflowAction, WorkflowInput> Provider { get; set; } = (_, action) => new ActivitySucceeded(action.Key);

    public List<string> Calls { get; } = [];

    public List<DateTime> Timers { get; } = [];

    public List<PublishedStatus> Statuses { get; } = [];

    public string? ContinuedWith { get; private set; }

    public Task<string> RunAsync() => OrderPaymentOrchestration.RunAsync(Context, new OrderPaymentWorkflow(new WorkflowOptions()));

    /// <summary>Records a signal in the inbox and rings the doorbell, as the workflow client does.</summary>
    public void Signal(WorkflowInput input, string key)
    {
        Inbox.Enqueue(new SignalEnvelope(input, key));
        _rings++;
    }

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
        if (activity == OrchestrationNames.DrainSignals)
        {
            return Drain(DrainRequest.FromJson(requestJson)).ToJson();
        }

        var request = ActivityRequest.FromJson(requestJson);
        Calls.Add(activity);
        return JsonSerializer.Serialize(Provider(activity, request.Action), OrderPaymentsJson.Options);
    }

    private DrainResult Drain(DrainRequest request)
    {
        Closed.ShouldBeFalse("nothing drains a closed inbox");
        Recorded.AddRange(request.Applied);
        var pending = new List<InboxSignal>();
        while (pending.Count < DrainResult.MaxSignals && Inbox.TryDequeue(out var envelope))
        {
            pending.Add(new InboxSignal(Recorded.Count + pending.Count + 1, envelope.DedupeKey, envelope.Signal));
        }

        Closed = request.Close && pending.Count == 0;
        return new DrainResult(pending, Closed, More: Inbox.Count > 0);
    }
}
