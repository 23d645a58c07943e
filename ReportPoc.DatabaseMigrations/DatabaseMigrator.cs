using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ReportPoc.Reports.Data;

namespace ReportPoc.DatabaseMigrations;

/// <summary>
/// Applies the migrations and stops the application: exit code 0 means the schema is current. A database that is
/// still starting is waited for, within <see cref="StartupBudget"/>; anything else fails the run (exit code 1), and
/// the services that wait for this one do not start.
/// </summary>
internal sealed class DatabaseMigrator(IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<DatabaseMigrator> logger) : BackgroundService
{
    public const string ActivitySourceName = "ReportPoc.DatabaseMigrations";

    private static readonly TimeSpan StartupBudget = TimeSpan.FromMinutes(2);
    private static readonly ActivitySource Source = new(ActivitySourceName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = Source.StartActivity("Migrate database");
        try
        {
            await MigrateAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            activity?.AddException(exception);
            logger.LogCritical(exception, "The database could not be migrated");
            Environment.ExitCode = 1;
        }

        lifetime.StopApplication();
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + StartupBudget;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ReportsDbContext>();
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                await db.Database.MigrateAsync(cancellationToken);
                logger.LogInformation("Database schema is up to date ({Applied} migration(s) applied: {Migrations})",
                    pending.Count, pending.Count == 0 ? "none" : string.Join(", ", pending));
                return;
            }
            catch (NpgsqlException exception) when (exception.IsTransient && DateTimeOffset.UtcNow < deadline)
            {
                logger.LogWarning("Database not reachable yet (attempt {Attempt}): {Reason}", attempt, exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }
}
