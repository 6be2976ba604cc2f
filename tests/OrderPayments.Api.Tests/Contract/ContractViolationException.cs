namespace OrderPayments.Api.Tests.Contract;

/// <summary>An exchange with the API that its OpenAPI document does not allow; the message names route, status and error.</summary>
internal sealed class ContractViolationException : Exception
{
    public ContractViolationException()
    {
    }

    public ContractViolationException(string message)
        : base($"The API broke its OpenAPI contract (/openapi/v1.json):{Environment.NewLine}{message}")
    {
    }

    public ContractViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
