using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ReportPoc.Benchmark.Load;

namespace ReportPoc.Benchmark.Accept;

/// <summary>What hey (Debian's <c>hey</c> package) measured for one endpoint.</summary>
public sealed record HeyResult(long Responses, long Errors, double Throughput, double P50Ms, double P99Ms);

/// <summary>Runs hey against one endpoint for a fixed time and reads its summary.</summary>
public static partial class HeyRunner
{
    public static bool IsInstalled() =>
        Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(directory => File.Exists(Path.Combine(directory, "hey"))) == true;

    public static async Task<HeyResult> RunAsync(Uri url, int concurrency, TimeSpan duration, bool postSubmission, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("hey") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-z", $"{duration.TotalSeconds:F0}s", "-c", concurrency.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        if (postSubmission)
        {
            foreach (var argument in new[] { "-m", "POST", "-T", "application/json", "-d", ReportPocClient.SubmissionJson })
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.ArgumentList.Add(url.ToString());
        using var hey = Process.Start(start) ?? throw new InvalidOperationException("hey did not start.");
        var output = await hey.StandardOutput.ReadToEndAsync(cancellationToken);
        await hey.WaitForExitAsync(cancellationToken);
        return Parse(output);
    }

    private static HeyResult Parse(string output)
    {
        var statuses = StatusLine().Matches(output).Select(match => (Code: int.Parse(match.Groups[1].Value), Count: long.Parse(match.Groups[2].Value))).ToList();
        var ok = statuses.Where(status => status.Code is >= 200 and < 300).Sum(status => status.Count);
        var failed = statuses.Where(status => status.Code is < 200 or >= 300).Sum(status => status.Count)
            + ErrorLine().Matches(output).Sum(match => long.Parse(match.Groups[1].Value));
        return new HeyResult(ok, failed, Number(RequestsPerSecond().Match(output)), 1000 * Number(Percentile(50).Match(output)), 1000 * Number(Percentile(99).Match(output)));
    }

    private static double Number(Match match) =>
        match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;

    private static Regex Percentile(int percent) => new($@"^\s*{percent}% in ([0-9.]+) secs", RegexOptions.Multiline);

    [GeneratedRegex(@"Requests/sec:\s*([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s*\[(\d{3})\]\s+(\d+) responses", RegexOptions.Multiline)]
    private static partial Regex StatusLine();

    /// <summary>Transport errors, under "Error distribution:" as "[count]\tmessage".</summary>
    [GeneratedRegex(@"^\s*\[(\d+)\]\s+(?!\d+ responses)\S", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();
}
