using ReportPoc.Benchmark;
using ReportPoc.Benchmark.Configuration;

// Sync vs async, the machine's ceiling, processor scale-out and memory: see docs/benchmarks.md.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

try
{
    return await new BenchmarkRun(BenchmarkOptions.Parse(args)).ExecuteAsync(cancel.Token);
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Interrupted; nothing was written.");
    return 130;
}
