namespace ReportPoc.AppHost.Dashboard;

public static class BenchmarkResource
{
    /// <summary>
    /// ReportPoc.Benchmark against this running system, started by hand from the dashboard (its console log shows
    /// progress and the summary line; results go to artifacts/benchmark). A shortened run of this system as it is
    /// scaled: the full comparison and its scale curve start AppHosts of their own (one per LP setting), so they are
    /// run from the command line (see docs/benchmarks.md).
    /// Run through <c>dotnet run</c> (built in Release on first start) rather than as a project resource: the
    /// benchmark references the AppHost for its compare mode, so the AppHost cannot reference it back.
    /// </summary>
    public static IResourceBuilder<ExecutableResource> AddBenchmark(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ProjectResource> api)
    {
        var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var output = Path.Combine(repository, "artifacts", "benchmark");
        return builder.AddExecutable(name, "dotnet", repository, "run", "-c", "Release", "--project", "ReportPoc.Benchmark", "--",
                "--levels", "1,8,32,64", "--duration", "5", "--overload", "20", "--burst", "80", "--completion-duration", "10", "--out", output)
            .WithReference(api)
            .WaitFor(api)
            .WithExplicitStart()
            .ExcludeFromManifest(); // a tool of this machine, pressed from the dashboard: nothing to deploy
    }
}
