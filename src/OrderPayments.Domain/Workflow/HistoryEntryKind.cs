using System.Text.Json.Serialization;

namespace OrderPayments.Domain.Workflow;

/// <summary>What a history entry records.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HistoryEntryKind>))]
public enum HistoryEntryKind
{
    /// <summary>An input that changed something.</summary>
    Input = 1,

    /// <summary>An action the workflow decided to run.</summary>
    Action = 2,

    /// <summary>The status changed.</summary>
    Status = 3,

    /// <summary>A provider call failed permanently.</summary>
    Problem = 4,

    /// <summary>A recorded signal the workflow refused when it applied it, with the reason.</summary>
    Rejection = 5,
}
