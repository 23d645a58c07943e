using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ReportPoc.Reports.Data;

/// <summary>
/// Applies EF Core migrations before the service takes traffic. Several replicas may start at once: EF Core
/// (9+) serialises <c>Migrate</c> with a database lock, so each migration runs exactly once. A database that
/// is still starting is waited for rather than failing the service.
/// </summary>
internal sealed class DatabaseMigrator(IServiceProvider services, ILogger<DatabaseMigrator> logger) : IHostedService
{
    private static readonly TimeSpan StartupBudget = TimeSpan.FromMinutes(2);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + StartupBudget;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ReportsDbContext>();
                await db.Database.MigrateAsync(cancellationToken);
                logger.LogInformation("Database schema is up to date");
                return;
            }
            catch (NpgsqlException exception) when (exception.IsTransient && DateTimeOffset.UtcNow < deadline)
            {
                logger.LogWarning("Database not reachable yet (attempt {Attempt}): {Reason}", attempt, exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
