using ReportPoc.Evidence;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Provenance;
using ReportPoc.Evidence.Sections;

// The PoC's results report in English and Korean, from one evidence run: see scripts/evidence.sh.
//   begin                 a run of HEAD (clean tree)          stamp NAME SOURCE   keep and record a step's output
//   [report] [options]    the report from the recorded inputs
var command = args.FirstOrDefault() is "begin" or "stamp" or "report" ? args[0] : "report";
var rest = command == "report" && args.FirstOrDefault() != "report" ? args : args.Skip(1).ToArray();
switch (command)
{
    case "begin":
        return await EvidenceRunSteps.BeginAsync(EvidenceOptions.Parse(rest), CancellationToken.None);
    case "stamp" when rest.Length >= 2:
        return await EvidenceRunSteps.StampAsync(EvidenceOptions.Parse(rest[2..]), rest[0], rest[1], CancellationToken.None);
    case "stamp":
        Console.Error.WriteLine("Usage: stamp NAME SOURCE [options]");
        return 2;
}

var options = EvidenceOptions.Parse(rest);
var inputs = await EvidenceInputs.ReadAsync(options, CancellationToken.None);
Console.WriteLine(inputs.Run is { } run ? $"evidence run of commit {run.ShortCommit}, started {run.StartedAt:u}" : $"no evidence run at {options.Run}");
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

return 0;
