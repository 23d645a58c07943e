using System.Diagnostics;

namespace ReportPoc.AppHost.Infrastructure;

public enum InfrastructureMode
{
    /// <summary>Kafka and PostgreSQL as containers: the usual Aspire experience where a container runtime answers.</summary>
    Containers,

    /// <summary>No container runtime: PostgreSQL from the host's binaries and the in-memory dev broker, as processes.</summary>
    Local,

    /// <summary>Existing services, given as ConnectionStrings:kafka and ConnectionStrings:reports.</summary>
    External,
}

/// <summary>Which infrastructure this run uses. Set <c>Infrastructure:Mode</c> to auto (default), containers, local or external.</summary>
public sealed class InfrastructureResource(string name, InfrastructureMode mode) : Resource(name)
{
    public InfrastructureMode Mode { get; } = mode;
}

public static class InfrastructureExtensions
{
    private const string ModeKey = "Infrastructure:Mode";

    /// <summary>Resolves the mode and shows it in the dashboard as a resource of its own.</summary>
    public static InfrastructureResource AddInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[ModeKey] ?? "auto";
        var mode = configured.ToLowerInvariant() switch
        {
            "auto" => Detect(builder),
            "containers" => InfrastructureMode.Containers,
            "local" when builder.ExecutionContext.IsPublishMode => throw new InvalidOperationException(
                $"{ModeKey}=local runs the dev broker and a private PostgreSQL on this machine; publish with containers or external instead."),
            "local" => InfrastructureMode.Local,
            "external" => InfrastructureMode.External,
            _ => throw new InvalidOperationException($"{ModeKey} is '{configured}'; use auto, containers, local or external."),
        };

        var resource = new InfrastructureResource(ReportPoc.Contracts.ResourceNames.Infrastructure, mode);
        builder.AddResource(resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Infrastructure",
                State = new ResourceStateSnapshot($"{mode} mode", KnownResourceStateStyles.Info),
                Properties =
                [
                    new(CustomResourceKnownProperties.Source, $"{ModeKey}={configured}"),
                    new("kafka", mode switch
                    {
                        InfrastructureMode.Containers => "Apache Kafka container (KRaft)",
                        InfrastructureMode.Local => "in-memory dev broker (librdkafka mock cluster) - not for production",
                        _ => "external cluster (ConnectionStrings:kafka)",
                    }),
                    new("postgres", mode switch
                    {
                        InfrastructureMode.Containers => "PostgreSQL container",
                        InfrastructureMode.Local => "private PostgreSQL server from the host's binaries",
                        _ => "external server (ConnectionStrings:reports)",
                    }),
                ],
            })
            .ExcludeFromManifest();

        return resource;
    }

    private static InfrastructureMode Detect(IDistributedApplicationBuilder builder)
    {
        if (builder.Configuration.GetConnectionString("kafka") is not null && builder.Configuration.GetConnectionString("reports") is not null)
        {
            return InfrastructureMode.External;
        }

        // Local mode's broker and database are this machine's processes, never something to deploy: publishing gets containers.
        if (builder.ExecutionContext.IsPublishMode)
        {
            return InfrastructureMode.Containers;
        }

        return ContainerRuntimeAnswers(builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] ?? "docker")
            ? InfrastructureMode.Containers
            : InfrastructureMode.Local;
    }

    /// <summary>A docker/podman client alone is not enough: the engine must answer.</summary>
    private static bool ContainerRuntimeAnswers(string runtime)
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(runtime, "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (probe is null)
            {
                return false;
            }

            if (!probe.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                probe.Kill(entireProcessTree: true);
                return false;
            }

            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no such command
        }
    }
}
