using HealthChecks.NpgSql;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReportPoc.AppHost.Dashboard;
using ReportPoc.Contracts;

namespace ReportPoc.AppHost.Infrastructure;

/// <summary>A PostgreSQL server run from the host's binaries (local mode), exposing the application database.</summary>
public sealed class LocalPostgresResource(string name, string databaseName, string workingDirectory)
    : ExecutableResource(name, "bash", workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public string DatabaseName { get; } = databaseName;

    public EndpointReference Endpoint => new(this, EndpointName);

    /// <summary>Services ask for the database by its name (ConnectionStrings:reports), as with Aspire's AddDatabase.</summary>
    public string? ConnectionStringEnvironmentVariable => $"ConnectionStrings__{DatabaseName}";

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Endpoint.Property(EndpointProperty.Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username=postgres;Database={DatabaseName}");
}

public static class ReportsDatabaseExtensions
{
    private const string PostgresInstallRoot = "/usr/lib/postgresql";

    /// <summary>The application database, named <paramref name="name"/> so services get ConnectionStrings:{name}.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddReportsDatabase(
        this IDistributedApplicationBuilder builder, string name, InfrastructureResource infrastructure) => infrastructure.Mode switch
    {
        InfrastructureMode.Containers => builder.AddPostgres(ResourceNames.Postgres).WithPgWeb().AddDatabase(name),
        InfrastructureMode.Local => builder.AddLocalPostgres(ResourceNames.Postgres, name),
        _ => builder.AddConnectionString(name),
    };

    private static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string serverName, string databaseName)
    {
        var binDirectory = FindPostgresBinaries();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "reportpoc", $"{serverName}-{Environment.ProcessId}");
        var script = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "local-postgres.sh");
        var resource = new LocalPostgresResource(serverName, databaseName, AppContext.BaseDirectory);

        // Health: the server accepts connections to the application database.
        var healthCheckKey = $"{serverName}-accepts-connections";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheckKey,
            _ => new NpgSqlHealthCheck(new NpgSqlHealthCheckOptions(
                resource.ConnectionStringExpression.GetValueAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult()!)),
            failureStatus: null, tags: null));

        return builder.AddResource(resource)
            .WithArgs(script)
            .WithEndpoint(LocalPostgresResource.EndpointName, endpoint =>
            {
                endpoint.UriScheme = "tcp";
                endpoint.Transport = "tcp";
                // Clients connect to the server itself: through Aspire's proxy a crashed server would look like a slow
                // one (the proxy accepts and holds connections), and the services could not tell it is down.
                endpoint.IsProxied = false;
            })
            .WithEnvironment("PGPORT", resource.Endpoint.Property(EndpointProperty.TargetPort))
            .WithEnvironment("PGBIN", binDirectory)
            .WithEnvironment("PGDATA", dataDirectory)
            .WithEnvironment("PGDATABASE", databaseName)
            .WithHealthCheck(healthCheckKey)
            .WithCrashCommand()
            .ExcludeFromManifest();
    }

    /// <summary>Debian/Ubuntu keep each major version under /usr/lib/postgresql/N/bin; the newest one wins.</summary>
    internal static string FindPostgresBinaries()
    {
        var found = Directory.Exists(PostgresInstallRoot)
            ? Directory.GetDirectories(PostgresInstallRoot)
                .Select(versionDirectory => Path.Combine(versionDirectory, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "postgres")) && File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;

        return found ?? throw new InvalidOperationException(
            "Local mode needs PostgreSQL's server binaries and none were found under /usr/lib/postgresql. " +
            "Install them with 'sudo apt-get install -y postgresql' (or run ./run.sh, which does), " +
            "or set Infrastructure:Mode=external with ConnectionStrings:reports.");
    }
}
