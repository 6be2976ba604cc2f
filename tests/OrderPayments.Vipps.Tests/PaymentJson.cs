namespace OrderPayments.Vipps.Tests;

/// <summary>Vipps response bodies shaped as in the ePayment specification's examples.</summary>
internal static class PaymentJson
{
    public const string Authorized = """
        {"aggregate":{"authorizedAmount":{"currency":"NOK","value":1000},"cancelledAmount":{"currency":"NOK","value":0},"capturedAmount":{"currency":"NOK","value":0},"refundedAmount":{"currency":"NOK","value":0}},
         "amount":{"currency":"NOK","value":1000},"state":"AUTHORIZED","paymentMethod":{"type":"WALLET"},"profile":{"sub":"c06c4afe-d9e1-4c5d-939a-177d752a0944"},
         "pspReference":"53ab5d0a-7f9a-4c22-a2f8-5a6ff2c0ddb5","redirectUrl":"https://landing.vipps.no?token=abc","reference":"order-42-1"}
        """;

    public const string Captured250 = """
        {"amount":{"currency":"NOK","value":1000},"state":"AUTHORIZED",
         "aggregate":{"authorizedAmount":{"currency":"NOK","value":1000},"cancelledAmount":{"currency":"NOK","value":0},"capturedAmount":{"currency":"NOK","value":250},"refundedAmount":{"currency":"NOK","value":0}},
         "pspReference":"e1d7c5b4-9f0a-4d8a-9c3e-1a2b3c4d5e6f","reference":"order-42-1"}
        """;

    public const string Terminated = """
        {"amount":{"currency":"NOK","value":1000},"state":"TERMINATED",
         "aggregate":{"authorizedAmount":{"currency":"NOK","value":0},"cancelledAmount":{"currency":"NOK","value":1000},"capturedAmount":{"currency":"NOK","value":0},"refundedAmount":{"currency":"NOK","value":0}},
         "pspReference":"e1d7c5b4-9f0a-4d8a-9c3e-1a2b3c4d5e6f","reference":"order-42-1"}
        """;
}
