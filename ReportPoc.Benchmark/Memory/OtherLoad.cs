namespace ReportPoc.Benchmark.Memory;

/// <summary>
/// Whether something else competes for this machine's cores: a test run, or another ReportPoc system (told apart by
/// its Kafka connection string). Measurements taken meanwhile are flagged rather than silently reported.
/// </summary>
public static class OtherLoad
{
    public static bool IsPresent(string? ownKafka) =>
        ServiceMemory.FindProcesses("ReportPoc.Tests").Count > 0
        || ServiceMemory.FindProcesses("ReportPoc.Api").Any(pid => ownKafka is null || ServiceMemory.KafkaOf(pid) != ownKafka);
}
