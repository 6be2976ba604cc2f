namespace OrderPayments.Domain.Workflow;

/// <summary>What the storefront asks for when it starts an order's payment.</summary>
/// <param name="OrderId">The order (and workflow instance) id.</param>
/// <param name="Amount">The amount to reserve: at least Vipps' minimum for its currency, at most <see cref="MaxAmountValue"/>.</param>
/// <param name="Description">Shown to the customer; 3 to 100 characters (Vipps <c>paymentDescription</c>), at most 40 for PayEx.</param>
/// <param name="UserFlow">How the customer reaches the payment.</param>
/// <param name="ReturnUrl">Absolute URL the customer returns to (https, or an app's own scheme); required for the redirect flows.</param>
/// <param name="PhoneNumber">
/// The customer's phone number as an MSISDN, 9 to 15 digits with the country code and no prefix (e.g. <c>4791234567</c>;
/// <see cref="PhoneNumbers.TryNormalize"/> makes one of <c>+47 912 34 567</c>); Norwegian for PayEx; required for push messages.
/// </param>
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

    /// <summary>The longest description PayEx accepts (<c>payment.description</c>, shared/swedbankpay/NOTES.md §2).</summary>
    public const int MaxPayExDescriptionLength = 40;

    /// <summary>The longest return URL Vipps accepts.</summary>
    public const int MaxReturnUrlLength = 2500;

    /// <summary>
    /// The largest amount, in minor units, Vipps accepts (ePayment <c>Amount.value</c> <c>maximum: 65000000</c>, inclusive):
    /// 650 000.00. PayEx documents no maximum, but its Vipps instrument's payment is a Vipps payment, so it is held to the same.
    /// </summary>
    public const long MaxAmountValue = 65_000_000;

    // Schemes a browser runs or fetches itself: never an app's own.
    private static readonly string[] NotAppSchemes = ["javascript", "data", "vbscript", "file", "ftp"];

    /// <summary>
    /// The smallest amount, in minor units, Vipps accepts in <paramref name="currency"/>: NOK 100 øre, DKK 1 øre, EUR 1 cent
    /// (ePayment API 1.8.1, <c>Amount.value</c>). Held to PayEx orders too (their payment is a Vipps payment).
    /// </summary>
    public static long MinAmountValue(Currency currency) => currency == Currency.NOK ? 100 : 1;

    /// <summary>
    /// Every reason this request cannot be started, each naming the field (camelCase, as in the HTTP API);
    /// empty when it is valid. This includes the providers' specifications' limits (the amount range, the PayEx
    /// description's length, the phone number's pattern, the return URL's scheme), so nothing is started that the
    /// provider would refuse for them. Clients call it before starting an order.
    /// </summary>
    public IReadOnlyList<InputRejection> Validate() => Problems(limits: true);

    /// <summary>
    /// What <see cref="OrderPaymentWorkflow.Start"/> insists on: <see cref="Validate"/> without the providers' limits.
    /// Those were tightened after orders were stored (issue 14), and a stored order's request is started again when its
    /// orchestration replays; it must not be refused then.
    /// </summary>
    internal IReadOnlyList<InputRejection> ValidateShape() => Problems(limits: false);

    private List<InputRejection> Problems(bool limits)
    {
        var errors = new List<InputRejection>();
        void Add(string field, string message) => errors.Add(new InputRejection(RejectionReason.InvalidRequest, message, field));

        if (Amount.IsZero || !Enum.IsDefined(Amount.Currency))
        {
            Add("amount", "The amount must be more than zero, in NOK, DKK or EUR minor units.");
        }
        else if (limits && Amount.Value > MaxAmountValue)
        {
            Add("amount.value", $"The amount must be at most {MaxAmountValue} minor units (650 000.00), the most Vipps takes.");
        }
        else if (limits && Amount.Value < MinAmountValue(Amount.Currency))
        {
            Add("amount.value", $"The amount must be at least {MinAmountValue(Amount.Currency)} minor units in {Amount.Currency}, the least Vipps takes.");
        }

        if (string.IsNullOrWhiteSpace(Description) || Description.Length is < MinDescriptionLength or > MaxDescriptionLength)
        {
            Add("description", $"The description must be {MinDescriptionLength} to {MaxDescriptionLength} characters long.");
        }
        else if (limits && Provider == PaymentProvider.PayEx && Description.Length > MaxPayExDescriptionLength)
        {
            Add("description", $"PayEx (Vipps through Swedbank Pay) takes a description of at most {MaxPayExDescriptionLength} characters.");
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
        else if (ReturnUrl.Length > MaxReturnUrlLength || !IsAbsoluteUrl(ReturnUrl) || (limits && !IsHttpsOrAppUrl(ReturnUrl)))
        {
            Add("returnUrl", $"The return URL must be an absolute https URL or an app's own scheme (http only to this machine, for development) of at most {MaxReturnUrlLength} characters.");
        }

        if (PhoneNumber is null)
        {
            if (UserFlow == UserFlow.PushMessage)
            {
                Add("phoneNumber", "A phone number is required for the PUSH_MESSAGE flow.");
            }
        }
        else if (PhoneNumber.Length is 0 or > PhoneNumbers.MaxDigits || !PhoneNumber.All(char.IsAsciiDigit) || (limits && !PhoneNumbers.IsMsisdn(PhoneNumber)))
        {
            Add("phoneNumber", $"The phone number must be {PhoneNumbers.MinDigits} to {PhoneNumbers.MaxDigits} digits with the country code first and no + or 00, e.g. 4791234567.");
        }
        else if (limits && Provider == PaymentProvider.PayEx && !PhoneNumbers.IsNorwegian(PhoneNumber))
        {
            Add("phoneNumber", "PayEx (Vipps through Swedbank Pay) takes Norwegian numbers only: +47 and 8 digits.");
        }

        return errors;
    }

    // On Unix "/return" parses as an absolute file URI; a return URL must name its scheme explicitly.
    private static bool IsAbsoluteUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && !uri.IsFile
        && !uri.IsUnc
        && text.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase);

    // Vipps: "The URL must use the https:// scheme or a custom URL scheme" (ePayment CreatePaymentRequest.returnUrl). http
    // is let through to a loopback host only, for a developer's machine (the operator page against the simulator).
    private static bool IsHttpsOrAppUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp ? uri.IsLoopback : !NotAppSchemes.Contains(uri.Scheme));
}
