using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Notifications;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.PayEx;

/// <summary>
/// The PayEx callback intake. Callbacks are unsigned, so the body is only a trigger: the payment reference comes from
/// the callback URL this deployment gave the payment (<c>?reference=</c>), and the workflow answers with a query
/// through the authenticated API. A forged callback can therefore cause a read, never move any state; and since its
/// body proves nothing, nothing in it is trusted to tell callbacks apart either: all callbacks for a payment within one
/// <see cref="WorkflowOptions.MinHintQueryInterval"/> (on fixed boundaries of the injected clock) share one dedupe key,
/// so however many arrive, at most one is recorded per interval (a later one in the same interval adds nothing the
/// read the first caused, or the next poll, does not see). With <see cref="PayExOptions.CallbackAllowedSources"/> set,
/// a callback from any other address is refused.
/// </summary>
public sealed class PayExNotifications : IProviderNotifications
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly IReadOnlyList<IPNetwork> _allowed;

    /// <summary>Creates the intake.</summary>
    /// <param name="time">The clock the dedupe intervals are cut from.</param>
    /// <param name="workflow">The workflow's options: <see cref="WorkflowOptions.MinHintQueryInterval"/> is the dedupe interval.</param>
    /// <param name="options">The PayEx options: <see cref="PayExOptions.CallbackAllowedSources"/>.</param>
    /// <exception cref="FormatException">An allowed source is not an address or a CIDR range (the options validator names it at start).</exception>
    public PayExNotifications(TimeProvider time, IOptions<WorkflowOptions> workflow, IOptions<PayExOptions> options)
    {
        _time = time;
        _interval = workflow.Value.Validate().MinHintQueryInterval;
        _allowed = [.. options.Value.CallbackAllowedSources.Select(source => TryParseNetwork(source, out var network)
            ? network
            : throw new FormatException($"{PayExOptions.SectionName}:{nameof(PayExOptions.CallbackAllowedSources)} has '{source}', which is not an address or a CIDR range."))];
    }

    /// <inheritdoc />
    public PaymentProvider Provider => PaymentProvider.PayEx;

    /// <summary>Reads an address or a CIDR range (<c>20.91.170.120/29</c>; a single address is its own range).</summary>
    public static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (IPNetwork.TryParse(text.Trim(), out network))
        {
            return true;
        }

        if (!IPAddress.TryParse(text.Trim(), out var address))
        {
            return false;
        }

        network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    /// <inheritdoc />
    public Task<NotificationIntake> ReadAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        if (_allowed.Count > 0 && !IsAllowed(delivery.RemoteAddress))
        {
            return Task.FromResult(NotificationIntake.FromDisallowedSource(
                $"PayEx callbacks are taken only from {PayExOptions.SectionName}:{nameof(PayExOptions.CallbackAllowedSources)}; this one came from {delivery.RemoteAddress?.ToString() ?? "an address this host cannot see"}."));
        }

        var referenceText = delivery.QueryValue("reference");
        PaymentReference reference;
        try
        {
            reference = PaymentReference.Parse(referenceText ?? "");
        }
        catch (FormatException)
        {
            return Task.FromResult(NotificationIntake.Unreadable("The callback URL must carry the payment's reference (?reference=…) as this deployment set it."));
        }

        try
        {
            // Only checked to be JSON: nothing in an unsigned body is used.
            using var body = JsonDocument.Parse(delivery.Body);
        }
        catch (JsonException)
        {
            return Task.FromResult(NotificationIntake.Unreadable("The callback body is not JSON."));
        }

        var input = new ProviderNotified(reference, "CALLBACK");
        return Task.FromResult(NotificationIntake.Verified(new ProviderNotification(reference, input, DedupeKey(reference))));
    }

    /// <summary>The key every callback for <paramref name="reference"/> in the current interval shares: <c>payex:{reference}:{interval start, Unix ms}</c>.</summary>
    private string DedupeKey(PaymentReference reference)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var length = Math.Max(1L, (long)_interval.TotalMilliseconds);
        var start = now - (((now % length) + length) % length);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"payex:{reference}:{start}");
    }

    private bool IsAllowed(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var candidate = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _allowed.Any(network => network.Contains(candidate));
    }
}
