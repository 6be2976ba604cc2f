namespace OrderPayments.Domain.Workflow;

/// <summary>What the storefront asks for when it starts an order's payment.</summary>
/// <param name="OrderId">The order (and workflow instance) id.</param>
/// <param name="Amount">The amount to reserve; more than zero.</param>
/// <param name="Description">Shown to the customer; 3 to 100 characters (Vipps <c>paymentDescription</c>).</param>
/// <param name="UserFlow">How the customer reaches the payment.</param>
/// <param name="ReturnUrl">Absolute URL the customer returns to; required for the redirect flows.</param>
/// <param name="PhoneNumber">The customer's phone number as digits with country code (e.g. <c>4712345678</c>); required for push messages.</param>
/// <param name="Provider">The payment provider.</param>
public sealed record PaymentRequest(
    OrderId OrderId,
    Money Amount,
    string Description,
    UserFlow UserFlow = UserFlow.WebRedirect,
    string? ReturnUrl = null,
    string? PhoneNumber = null,
    PaymentProvider Provider = PaymentProvider.Vipps)
{
    /// <summary>The shortest description Vipps accepts.</summary>
    public const int MinDescriptionLength = 3;

    /// <summary>The longest description Vipps accepts.</summary>
    public const int MaxDescriptionLength = 100;

    /// <summary>The longest return URL Vipps accepts.</summary>
    public const int MaxReturnUrlLength = 2500;

    /// <summary>
    /// Every reason this request cannot be started, each naming the field (camelCase, as in the HTTP API);
    /// empty when it is valid. Provider-specific limits (e.g. a minimum amount) are the provider's to refuse.
    /// </summary>
    public IReadOnlyList<InputRejection> Validate()
    {
        var errors = new List<InputRejection>();
        void Add(string field, string message) => errors.Add(new InputRejection(RejectionReason.InvalidRequest, message, field));

        if (Amount.IsZero || !Enum.IsDefined(Amount.Currency))
        {
            Add("amount", "The amount must be more than zero, in NOK, DKK or EUR minor units.");
        }

        if (string.IsNullOrWhiteSpace(Description) || Description.Length is < MinDescriptionLength or > MaxDescriptionLength)
        {
            Add("description", $"The description must be {MinDescriptionLength} to {MaxDescriptionLength} characters long.");
        }

        if (!Enum.IsDefined(UserFlow))
        {
            Add("userFlow", "The user flow must be WEB_REDIRECT, NATIVE_REDIRECT, PUSH_MESSAGE or QR.");
        }

        if (!Enum.IsDefined(Provider))
        {
            Add("provider", "The provider must be vipps or payex.");
        }
        else if (Provider == PaymentProvider.PayEx && Amount.Currency != Currency.NOK)
        {
            // Swedbank Pay's Vipps instrument takes NOK only (../shared/swedbankpay/NOTES.md §2).
            Add("amount.currency", "PayEx (Vipps through Swedbank Pay) takes NOK only.");
        }

        var needsReturnUrl = UserFlow is UserFlow.WebRedirect or UserFlow.NativeRedirect;
        if (ReturnUrl is null)
        {
            if (needsReturnUrl)
            {
                Add("returnUrl", "A return URL is required for the WEB_REDIRECT and NATIVE_REDIRECT flows.");
            }
        }
        else if (ReturnUrl.Length > MaxReturnUrlLength || !IsAbsoluteWebOrAppUrl(ReturnUrl))
        {
            Add("returnUrl", $"The return URL must be an absolute URL (https, or an app's own scheme) of at most {MaxReturnUrlLength} characters.");
        }

        if (PhoneNumber is null)
        {
            if (UserFlow == UserFlow.PushMessage)
            {
                Add("phoneNumber", "A phone number is required for the PUSH_MESSAGE flow.");
            }
        }
        else if (PhoneNumber.Length is < 8 or > 15 || !PhoneNumber.All(char.IsAsciiDigit))
        {
            Add("phoneNumber", "The phone number must be 8 to 15 digits including the country code, e.g. 4712345678.");
        }

        return errors;
    }

    // On Unix "/return" parses as an absolute file URI; a return URL must name its scheme explicitly.
    private static bool IsAbsoluteWebOrAppUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && !uri.IsFile
        && !uri.IsUnc
        && text.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase);
}
