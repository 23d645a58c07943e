using System.Diagnostics;
using System.Globalization;

namespace ReportPoc.Benchmark.Processes;

/// <summary>
/// A CPU sample of one process (the Api under accept load, an idle processor): dotnet-trace collects for a while, then
/// its topN report lists the frames that were on the stack of the on-CPU samples the longest. The caller writes the
/// report beside the results; the .nettrace stays in the temp folder.
/// </summary>
/// <remarks>
/// dotnet-trace runs through `dotnet dnx` at a pinned version rather than from the repository's tool manifest: only
/// profiling needs it, and a manifest holding it beside aspire.cli failed `dotnet tool restore` on a fresh machine
/// (docs/design.md §8), which gated ./run.sh and ./test.sh on a tool neither uses.
/// </remarks>
public static class ProcessProfile
{
    private const string DotnetTrace = "dotnet-trace@10.0.750501";

    public static async Task<string> CollectAsync(int pid, TimeSpan delay, TimeSpan duration, string label, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        var trace = Path.Combine(Path.GetTempPath(), $"reportpoc-{label}-{DateTime.UtcNow:yyyyMMddHHmmss}.nettrace");
        // collect-linux: the kernel's CPU samples (on-CPU time only, native frames such as librdkafka's included).
        var collected = await DotnetTraceAsync(cancellationToken, "collect-linux", "-p", pid.ToString(CultureInfo.InvariantCulture), "--profile", "cpu-sampling",
            "--duration", duration.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture), "-o", trace);
        if (!File.Exists(trace))
        {
            return "dotnet-trace collected nothing:\n" + collected;
        }

        // Inclusive only: with kernel samples every sample's exclusive frame is the sampling event itself.
        var inclusive = await DotnetTraceAsync(cancellationToken, "report", trace, "topN", "-n", "200", "--inclusive");
        return $"# {trace}: share of the process's on-CPU samples each frame was on the stack for\n\n{inclusive}";
    }

    private static async Task<string> DotnetTraceAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["dnx", DotnetTrace, "--yes", "--", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet-trace did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (await output) + (await error);
    }
}
