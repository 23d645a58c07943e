using System.Reflection;
using Confluent.Kafka;

namespace ReportPoc.UnitTests.Support;

/// <summary>
/// An <see cref="IConsumer{TKey,TValue}"/> that records the offsets it is asked to commit and can be told to fail the
/// next commit. Any other call fails the test: the bookkeeping under test must not make one.
/// </summary>
public class RecordingConsumer : DispatchProxy
{
    public List<TopicPartitionOffset[]> Commits { get; } = [];

    /// <summary>Thrown by the next Commit, as librdkafka does when a commit does not go through.</summary>
    public KafkaException? FailNextCommit { get; set; }

    public static (IConsumer<string, byte[]> Consumer, RecordingConsumer Recorder) Create()
    {
        var consumer = Create<IConsumer<string, byte[]>, RecordingConsumer>();
        return (consumer, (RecordingConsumer)(object)consumer);
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        if (method?.Name == nameof(IConsumer<,>.Commit) && args is [IEnumerable<TopicPartitionOffset> offsets])
        {
            if (FailNextCommit is { } failure)
            {
                FailNextCommit = null;
                throw failure;
            }

            Commits.Add([.. offsets]);
            return null;
        }

        throw new NotSupportedException($"The partition bookkeeping called IConsumer.{method?.Name}.");
    }
}
