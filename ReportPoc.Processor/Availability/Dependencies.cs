using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Lp;

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
