using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Lp;
using ReportPoc.Reports.Workflow;

namespace ReportPoc.Processor.Availability;

/// <summary>The systems the processor's work needs, each behind a <see cref="DependencyGate"/> with its own probe.</summary>
public sealed class Dependencies
{
    /// <summary>A probe is a cheap request: it must not hang on a dependency that does not answer.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public Dependencies(IServiceScopeFactory scopes, IOptions<ProcessingOptions> options, TimeProvider clock, ILoggerFactory loggers,
        IHostApplicationLifetime lifetime)
    {
        var processing = options.Value;
        DependencyGate Gate(string name, Func<IServiceProvider, CancellationToken, Task> probe) => new(name,
            async cancellationToken =>
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(ProbeTimeout);
                await using var scope = scopes.CreateAsyncScope();
                await probe(scope.ServiceProvider, timeout.Token);
            },
            processing.PauseAfterConsecutiveFailures, processing.ProbeInitialDelay, processing.ProbeMaxDelay, clock,
            loggers.CreateLogger($"{typeof(DependencyGate).FullName}.{name}"), lifetime.ApplicationStopping);

        Lp = Gate("LP", (services, token) => services.GetRequiredService<LpClient>().GetStatusAsync(token));
        Database = Gate("database", (services, token) => services.GetRequiredService<ReportsDbContext>().Database.ExecuteSqlRawAsync("SELECT 1", token));
        All = [Lp, Database];
    }

    public DependencyGate Lp { get; }

    public DependencyGate Database { get; }

    public IReadOnlyList<DependencyGate> All { get; }

    public bool AllAvailable => All.All(gate => gate.IsOpen);

    /// <summary>The first dependency found unavailable, if any.</summary>
    public DependencyOutage? Outage => All.Select(gate => gate.Outage).FirstOrDefault(outage => outage is not null);

    /// <summary>
    /// Feeds both gates what one run of the workflow proved about them, so that the callers decide only what the
    /// outcome means for their message. A database outage met outside the workflow is given as the workflow itself
    /// gives it: <see cref="WorkflowOutcome.Unavailable"/> of <see cref="WorkflowOutcome.Unavailable.Database"/>.
    /// </summary>
    /// <param name="handlingStartedAt">When handling the message began: a report completed before then was only read.</param>
    public void Observe(WorkflowOutcome outcome, DateTimeOffset handlingStartedAt)
    {
        if (outcome is WorkflowOutcome.Unavailable { Dependency: WorkflowOutcome.Unavailable.Database, Reason: var databaseReason })
        {
            Database.Failed(databaseReason);
            return;
        }

        // Every other outcome comes after the workflow's first step read the report (LP is called only after it): the
        // database answered.
        Database.Succeeded();
        switch (outcome)
        {
            case WorkflowOutcome.Unavailable { Reason: var reason }:
                Lp.Failed(reason);
                break;

            // LP answered: it ran the report, refused it (it is there, it just refuses this one) or answered a run lookup.
            case WorkflowOutcome.Completed { Report.CompletedAt: var completedAt } when completedAt >= handlingStartedAt:
            case WorkflowOutcome.Refused:
            case WorkflowOutcome.InProgressElsewhere:
                Lp.Succeeded();
                break;

            // A report completed or failed earlier, and a conflict, are read from the database: they prove nothing about LP.
        }
    }

    /// <summary>Returns once every dependency takes work.</summary>
    public async Task WaitUntilAvailableAsync(CancellationToken cancellationToken)
    {
        while (!AllAvailable)
        {
            foreach (var gate in All)
            {
                await gate.WaitUntilOpenAsync(cancellationToken);
            }
        }
    }
}
