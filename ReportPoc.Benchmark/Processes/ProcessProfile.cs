using System.Diagnostics;
using System.Globalization;

namespace ReportPoc.Benchmark.Processes;

/// <summary>
/// A CPU sample of one process (the Api under accept load, an idle processor): dotnet-trace (a local tool of this
/// repository, see .config/dotnet-tools.json; run from the repository root) collects for a while, then its topN report
/// lists the methods that were on the stack the longest, exclusive and inclusive. The caller writes the report beside
/// the results; the .nettrace stays in the temp folder.
/// </summary>
public static class ProcessProfile
{
    public static async Task<string> CollectAsync(int pid, TimeSpan delay, TimeSpan duration, string label, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        var trace = Path.Combine(Path.GetTempPath(), $"reportpoc-{label}-{DateTime.UtcNow:yyyyMMddHHmmss}.nettrace");
        var collected = await DotnetTraceAsync(cancellationToken, "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--profile", "cpu-sampling",
            "--duration", duration.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture), "-o", trace);
        if (!File.Exists(trace))
        {
            return "dotnet-trace collected nothing:\n" + collected;
        }

        var exclusive = await DotnetTraceAsync(cancellationToken, "report", trace, "topN", "-n", "25");
        var inclusive = await DotnetTraceAsync(cancellationToken, "report", trace, "topN", "-n", "40", "--inclusive");
        return $"# {trace}\n\n## exclusive (top 25)\n\n{exclusive}\n\n## inclusive (top 40)\n\n{inclusive}";
    }

    private static async Task<string> DotnetTraceAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("dotnet-trace");
        foreach (var argument in arguments)
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
