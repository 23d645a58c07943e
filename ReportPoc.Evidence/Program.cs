using ReportPoc.Evidence;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Sections;

// The PoC's results report in English and Korean, from the latest benchmark, chaos drill and test run: see scripts/evidence.sh.
var options = EvidenceOptions.Parse(args);
var inputs = await EvidenceInputs.ReadAsync(options, CancellationToken.None);
foreach (var (name, path, problem) in new[]
         {
             ("benchmark", inputs.Benchmark.Path, inputs.Benchmark.Problem),
             ("collateral benchmark", inputs.Collateral.Path, inputs.Collateral.Problem),
             ("chaos drill", inputs.Chaos.Path, inputs.Chaos.Problem),
             ("test run", inputs.Tests.Path, inputs.Tests.Problem),
         })
{
    Console.WriteLine(problem is { } missing ? $"{name}: {path} {missing.En} — the report says so" : $"{name}: {path}");
}

foreach (var report in await PocReport.WriteAsync(inputs, options.Output, CancellationToken.None))
{
    Console.WriteLine($"wrote {report}");
}
