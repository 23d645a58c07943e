namespace ReportPoc.AppHost.Infrastructure;

/// <summary>
/// Where the services find LP. When the AppHost runs: the stand-in (LpMock), referenced and waited for. When it publishes:
/// the real LP system's address from the parameter <c>lp-url</c>, and the stand-in, with its fault and capacity controls,
/// stays out of the manifest (docs/design.md §8).
/// </summary>
public static class LpSystem
{
    public const string RealLpUrlParameter = "lp-url";

    /// <summary>The services' LP client reads its address from configuration LpClient:BaseAddress (ReportPoc.Reports, LpClientOptions).</summary>
    private const string LpClientBaseAddress = "LpClient__BaseAddress";

    public static IResourceBuilder<ProjectResource> WithLp(this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource> lpMock)
    {
        var builder = service.ApplicationBuilder;
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return service.WithReference(lpMock).WaitFor(lpMock);
        }

        var realLp = builder.Resources.OfType<ParameterResource>().FirstOrDefault(parameter => parameter.Name == RealLpUrlParameter) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(RealLpUrlParameter);
        return service.WithEnvironment(LpClientBaseAddress, realLp);
    }
}
