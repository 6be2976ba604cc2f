using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace OrderPayments.Api.Tests.Telemetry;

/// <summary>
/// Issue 14: one order's trace, exported in memory with the API's own tracing setup: the provider calls nest under the
/// steps (or the request) that decided them, and the steps under the requests whose signals they applied.
/// </summary>
public sealed class ApiTelemetryTests
{
    [Fact]
    public async Task Trace_OneOrder_ProviderCallsNestUnderTheStepsAndRequestsThatCausedThem()
    {
        var spans = new LockedList();
        await using var api = await ApiHost.StartAsync(configure: builder =>
            builder.Services.AddOpenTelemetry().WithTracing(tracing => ApiTelemetry.Tracing(tracing).AddInMemoryExporter(spans)));

        await api.CustomerAsync((string)(await api.StartPaymentAsync("traced-1"))["reference"]!, "approve");
        await api.WaitForStatusAsync("traced-1", "Authorized");
        await api.FulfillAsync("traced-1", "ship-1");
        await api.WaitForOrderAsync("traced-1", o => (long?)o["amounts"]!["captured"] == 1000, "captured");
        await Eventually.Holds(() => spans.Snapshot().Any(s => s.DisplayName == "orderpayments.activity Capture" && Order(s) == "traced-1"), "the capture's span exported");

        var all = spans.Snapshot();
        var start = Server(all, "PUT", "/api/orders/traced-1/payment");
        var create = all.Single(s => s.DisplayName == "orderpayments.activity Create" && Order(s) == "traced-1");
        (create.TraceId, create.ParentSpanId).ShouldBe((start.TraceId, start.SpanId), "the create call was decided in the start request");
        all.ShouldContain(s => s.Kind == ActivityKind.Client && s.ParentSpanId == create.SpanId, "the HTTP call to the provider nests under the create call");

        var fulfill = Server(all, "POST", "/api/orders/traced-1/fulfillments");
        var step = all.Single(s => s.DisplayName == "orderpayments.step" && Order(s) == "traced-1" && (string?)s.GetTagItem("orderpayments.input") == "FulfillmentSignalled");
        (step.TraceId, step.ParentSpanId).ShouldBe((fulfill.TraceId, fulfill.SpanId), "the step continues the request that recorded the shipment");
        ((string?)step.GetTagItem("orderpayments.outcome")).ShouldBe("Applied");
        var capture = all.Single(s => s.DisplayName == "orderpayments.activity Capture" && Order(s) == "traced-1");
        capture.ParentSpanId.ShouldBe(step.SpanId, "the capture call is a child of the step that decided it");
        ((string?)capture.GetTagItem("orderpayments.outcome")).ShouldBe("succeeded");
        all.ShouldContain(s => s.Kind == ActivityKind.Client && s.ParentSpanId == capture.SpanId, "the HTTP call to the provider nests under the capture call");
    }

    private static Activity Server(IReadOnlyList<Activity> spans, string method, string path) =>
        spans.Single(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("http.request.method") == method && (string?)s.GetTagItem("url.path") == path);

    private static string? Order(Activity span) => (string?)span.GetTagItem("orderpayments.order_id");

    /// <summary>The exporter's collection, written from the threads that end spans while the test reads it.</summary>
    private sealed class LockedList : ICollection<Activity>
    {
        private readonly List<Activity> _items = [];
        private readonly Lock _lock = new();

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public IReadOnlyList<Activity> Snapshot()
        {
            lock (_lock)
            {
                return [.. _items];
            }
        }

        public void Add(Activity item)
        {
            lock (_lock)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _items.Clear();
            }
        }

        public bool Contains(Activity item) => Snapshot().Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().ToList().CopyTo(array, arrayIndex);

        public bool Remove(Activity item)
        {
            lock (_lock)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
