using System.ComponentModel.DataAnnotations;

namespace ReportPoc.Contracts.Messaging;

/// <summary>Configuration section <c>Messaging</c>, set by the AppHost for every service that needs it.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>The processors' consumer group (<see cref="KafkaTopics.ProcessorConsumerGroup"/> unless the AppHost says otherwise).</summary>
    [Required]
    public string ConsumerGroup { get; set; } = "";
}
