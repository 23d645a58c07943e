using ReportPoc.Benchmark.Configuration;
using ReportPoc.Benchmark.Load;
using Spectre.Console;

namespace ReportPoc.Benchmark.Hosting;

/// <summary>What the round-2 modes share: the system they measure (started here, or already running at --url) and a warm-up.</summary>
public static class ModeSystem
{
    private const int WarmupReports = 8;

    public static async Task<SystemUnderTest> StartAsync(BenchmarkOptions options, SystemConfiguration configuration, bool dashboard, CancellationToken cancellationToken)
    {
        if (options.ApiUrl is { } url)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]Measuring the system already running at {url} as it is configured[/]");
            return SystemUnderTest.Running(url);
        }

        AnsiConsole.MarkupLineInterpolated($"[grey]Starting the AppHost: {configuration.Name} ({string.Join(' ', configuration.AppHostArgs)}){(dashboard ? ", with the dashboard" : "")}[/]");
        return await SystemUnderTest.StartAsync(configuration, cancellationToken, dashboard);
    }

    /// <summary>A few reports end to end first, so start-up costs (JIT, connection pools, group join) stay out of the figures.</summary>
    public static Task WarmUpAsync(ReportPocClient client, CancellationToken cancellationToken) =>
        CompletionProbe.RunAsync(client, WarmupReports, 0, TimeSpan.FromSeconds(1), _ => { }, cancellationToken);
}
