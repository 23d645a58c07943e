using ReportPoc.Benchmark.Hosting;
using ReportPoc.Evidence.Inputs;

namespace ReportPoc.Evidence.Provenance;

/// <summary>
/// What scripts/evidence.sh calls around its steps: <c>begin</c> before the first (the commit, on a clean tree), and
/// <c>stamp NAME SOURCE</c> after each step has written its output, which keeps the output beside the report (a copy,
/// or a summary for the test run's TRX files) and records its hash and the source it was measured on.
/// </summary>
public static class EvidenceRunSteps
{
    /// <summary>Starts a run of HEAD; stamps of an earlier run of the same commit are kept, so a skipped step reuses only those.</summary>
    public static async Task<int> BeginAsync(EvidenceOptions options, CancellationToken cancellationToken)
    {
        var source = await SourceTree.ReadAsync(cancellationToken);
        if (!source.Clean)
        {
            Console.Error.WriteLine("The tree has uncommitted changes: commit or stash them first, so the evidence names the code it measured.");
            return 2;
        }

        var earlier = await EvidenceRun.ReadAsync(options.Run, cancellationToken);
        var kept = earlier is not null && earlier.Commit == source.Commit ? earlier.Inputs : [];
        await new EvidenceRun(source.Commit, DateTimeOffset.UtcNow, MachineInfo.Describe(), kept).WriteAsync(options.Run, cancellationToken);
        Console.WriteLine($"evidence run of commit {source.ShortCommit}" + (kept.Count > 0 ? $" (keeps {string.Join(", ", kept.Select(stamp => stamp.Name))} from its earlier run)" : ""));
        return 0;
    }

    public static async Task<int> StampAsync(EvidenceOptions options, string name, string source, CancellationToken cancellationToken)
    {
        if (await EvidenceRun.ReadAsync(options.Run, cancellationToken) is not { } run)
        {
            Console.Error.WriteLine($"No evidence run at {options.Run}: run 'begin' first.");
            return 2;
        }

        var kept = name switch
        {
            EvidenceInputs.BenchmarkInput => options.Benchmark,
            EvidenceInputs.CollateralInput => options.Collateral,
            EvidenceInputs.AcceptInput => options.Accept,
            EvidenceInputs.PickupInput => options.Pickup,
            EvidenceInputs.SoakInput => options.Soak,
            EvidenceInputs.OutcomesInput => options.Outcomes,
            EvidenceInputs.ChaosInput => options.Chaos,
            EvidenceInputs.TestsInput => options.Tests,
            _ => null,
        };
        if (kept is null)
        {
            Console.Error.WriteLine($"Unknown input '{name}': one of benchmark, collateral, accept, pickup, soak, outcomes, chaos, tests.");
            return 2;
        }

        if (name == EvidenceInputs.TestsInput)
        {
            await (await TestRun.ReadAsync(source, cancellationToken)).WriteSummaryAsync(kept, cancellationToken);
        }
        else if (Path.GetFullPath(source) != Path.GetFullPath(kept))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(kept))!);
            File.Copy(source, kept, overwrite: true);
        }

        var tree = await SourceTree.ReadAsync(cancellationToken);
        var sha = await EvidenceRun.HashAsync(kept, cancellationToken) ?? throw new FileNotFoundException($"{kept} was not written.");
        await run.With(new InputStamp(name, kept, sha, tree.Commit, tree.Clean, DateTimeOffset.UtcNow)).WriteAsync(options.Run, cancellationToken);
        Console.WriteLine($"{name}: {kept} recorded for commit {tree.ShortCommit}" + (tree.Clean ? "" : " (uncommitted changes: the report will not use it)"));
        return 0;
    }
}
