using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;
using ReportPoc.Contracts.Reports;
using ReportPoc.Processor;
using ReportPoc.Processor.Availability;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Workflow;

namespace ReportPoc.UnitTests.Processor;

public sealed class DependenciesTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly List<ServiceProvider> _services = [];

    /// <summary>What a gate was told by an outcome: a call succeeded, a call found it unavailable, or nothing.</summary>
    public enum Told
    {
        Nothing,
        Succeeded,
        Failed,
    }

    private DateTimeOffset HandlingStartedAt => _clock.GetUtcNow() - TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("completed in this handling", Told.Succeeded, Told.Succeeded)]
    [InlineData("completed before this handling", Told.Succeeded, Told.Nothing)] // only read: LP was not asked
    [InlineData("failed earlier", Told.Succeeded, Told.Nothing)]
    [InlineData("refused", Told.Succeeded, Told.Succeeded)]
    [InlineData("LP unavailable", Told.Succeeded, Told.Failed)] // LP is called only after the report was read
    [InlineData("database unavailable", Told.Failed, Told.Nothing)]
    [InlineData("in progress elsewhere", Told.Succeeded, Told.Succeeded)] // LP answered the run lookup
    [InlineData("conflict", Told.Succeeded, Told.Nothing)]
    public void EachOutcomeTellsEachGateOnlyWhatItProves(string outcome, Told database, Told lp)
    {
        var (toldDatabase, toldLp) = WhatTheGatesAreTold(OutcomeOf(outcome));

        Assert.Equal(database, toldDatabase);
        Assert.Equal(lp, toldLp);
    }

    /// <summary>
    /// Observes the outcome once with both gates closed (a success opens one) and once with both open (a failure closes
    /// one, as the threshold is a single failure), which tells the three answers apart.
    /// </summary>
    private (Told Database, Told Lp) WhatTheGatesAreTold(WorkflowOutcome outcome)
    {
        var closedBefore = NewDependencies();
        foreach (var gate in closedBefore.All)
        {
            gate.Failed("closed before the outcome");
        }

        closedBefore.Observe(outcome, HandlingStartedAt);
        var openBefore = NewDependencies();
        openBefore.Observe(outcome, HandlingStartedAt);

        static Told Of(DependencyGate closed, DependencyGate open) =>
            closed.IsOpen ? Told.Succeeded : open.IsOpen ? Told.Nothing : Told.Failed;
        return (Of(closedBefore.Database, openBefore.Database), Of(closedBefore.Lp, openBefore.Lp));
    }

    private WorkflowOutcome OutcomeOf(string name) => name switch
    {
        "completed in this handling" => new WorkflowOutcome.Completed(Report(ReportStatus.Completed, completedAt: _clock.GetUtcNow())),
        "completed before this handling" => new WorkflowOutcome.Completed(Report(ReportStatus.Completed, completedAt: HandlingStartedAt - TimeSpan.FromMinutes(1))),
        "failed earlier" => new WorkflowOutcome.Failed(Report(ReportStatus.Failed)),
        "refused" => new WorkflowOutcome.Refused(Report(ReportStatus.Running), "LP refused it"),
        "LP unavailable" => new WorkflowOutcome.Unavailable(WorkflowOutcome.Unavailable.Lp, "connection refused"),
        "database unavailable" => new WorkflowOutcome.Unavailable(WorkflowOutcome.Unavailable.Database, "connection refused"),
        "in progress elsewhere" => new WorkflowOutcome.InProgressElsewhere(Guid.NewGuid(), "LPRUN is still running"),
        "conflict" => new WorkflowOutcome.Conflict(Report(ReportStatus.Completed)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static Report Report(ReportStatus status, DateTimeOffset? completedAt = null) => new()
    {
        Id = Guid.NewGuid(), Status = status, CompletedAt = completedAt,
        ReporterId = "gate-test", ReportType = "monthly", Period = "2026-11", Title = "Gates", Content = "C",
    };

    private Dependencies NewDependencies()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_clock); // never advanced: a closed gate's probe never runs
        services.AddSingleton<IHostApplicationLifetime, ApplicationLifetime>();
        services.Configure<ProcessingOptions>(options => options.PauseAfterConsecutiveFailures = 1);
        services.AddSingleton<Dependencies>();
        var provider = services.BuildServiceProvider();
        _services.Add(provider);
        return provider.GetRequiredService<Dependencies>();
    }

    public void Dispose() => _services.ForEach(provider => provider.Dispose());
}
