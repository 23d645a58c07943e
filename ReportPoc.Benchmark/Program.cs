using ReportPoc.Benchmark;
using ReportPoc.Benchmark.Accept;
using ReportPoc.Benchmark.Collateral;
using ReportPoc.Benchmark.Configuration;
using ReportPoc.Benchmark.Outcomes;
using ReportPoc.Benchmark.Pickup;
using ReportPoc.Benchmark.Results;
using ReportPoc.Benchmark.Soak;

// Sync vs async, the machine's ceiling, processor scale-out and memory; or one of the round-2 modes: see docs/benchmarks.md.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

try
{
    var options = BenchmarkOptions.Parse(args);
    return await (options switch
    {
        { Soak: not null } => new SoakRun(options).ExecuteAsync(cancel.Token),
        { Collateral: true } => new CollateralRun(options).ExecuteAsync(cancel.Token),
        { Pickup: true } => new PickupRun(options).ExecuteAsync(cancel.Token),
        { Accept: true } => new AcceptRun(options).ExecuteAsync(cancel.Token),
        { Outcomes: true } => new OutcomesRun(options).ExecuteAsync(cancel.Token),
        { Rewrite: true } => RewriteAsync(options.OutputDirectory, cancel.Token),
        _ => new BenchmarkRun(options).ExecuteAsync(cancel.Token),
    });
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Interrupted; nothing was written.");
    return 130;
}

static async Task<int> RewriteAsync(string directory, CancellationToken cancellationToken)
{
    var results = await BenchmarkResults.ReadAsync(Path.Combine(directory, "results.json"), cancellationToken);
    foreach (var file in await ReportWriter.WriteAsync(results, directory))
    {
        Console.WriteLine($"wrote {file}");
    }

    Console.WriteLine(ReportWriter.SummaryLine(results));
    return 0;
}
