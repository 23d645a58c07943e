using System.Diagnostics;
using System.Diagnostics.Metrics;
using ReportPoc.Contracts.Reports;
using ReportPoc.Reports.Data;

namespace ReportPoc.Reports.Workflow;

/// <summary>The reports' own spans and metrics (docs/design.md §10); the dashboard shows them next to HTTP, DB and Kafka ones.</summary>
public sealed class ReportsTelemetry : IDisposable
{
    public const string Name = "ReportPoc.Reports";

    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _deadLettered;
    private readonly Histogram<double> _acceptDuration;
    private readonly Histogram<double> _endToEndDuration;

    public ReportsTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _accepted = _meter.CreateCounter<long>("reports.accepted", "{report}", "Reports accepted by the Api, per path.");
        _completed = _meter.CreateCounter<long>("reports.completed", "{report}", "Reports whose four steps all finished.");
        _failed = _meter.CreateCounter<long>("reports.failed", "{report}", "Reports that ended Failed.");
        _retried = _meter.CreateCounter<long>("reports.retried", "{attempt}", "Workflow attempts repeated after a transient failure.");
        _deadLettered = _meter.CreateCounter<long>("reports.dead_lettered", "{message}", "Messages sent to the dead-letter topic.");
        _acceptDuration = _meter.CreateHistogram<double>("reports.accept.duration", "s", "Time the Api took to answer a submission, per path.");
        _endToEndDuration = _meter.CreateHistogram<double>("reports.end_to_end.duration", "s", "Accepted → Completed, per path.");
    }

    /// <summary>A span per business step, so a trace reads INSERT → setQueue → UPDATE → LPRUN.</summary>
    public static Activity? StartStep(string step) => Source.StartActivity(step);

    public void Accepted(ReportPath path, TimeSpan elapsed)
    {
        var tag = PathTag(path);
        _accepted.Add(1, tag);
        _acceptDuration.Record(elapsed.TotalSeconds, tag);
    }

    public void Completed(Report report)
    {
        _completed.Add(1, PathTag(report.Path));
        if (report.CompletedAt is { } completedAt)
        {
            _endToEndDuration.Record((completedAt - report.AcceptedAt).TotalSeconds, PathTag(report.Path));
        }
    }

    public void Failed(ReportPath path) => _failed.Add(1, PathTag(path));
    public void Retried() => _retried.Add(1);
    public void DeadLettered(string reason) => _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", reason));

    private static KeyValuePair<string, object?> PathTag(ReportPath path) => new("report.path", path == ReportPath.Sync ? "sync" : "async");

    public void Dispose() => _meter.Dispose();
}
