using ReportPoc.Benchmark.Results;
using ReportPoc.Chaos;
using ReportPoc.Chaos.Results;
using ReportPoc.Contracts.Lp;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;

namespace ReportPoc.Evidence.Provenance;

/// <summary>
/// Which inputs a verdict may rest on. A verdict is stated only from inputs of one evidence run on one commit, measured
/// on a clean tree, under the conditions the verdict is stated for (the full drill, LP's default profile); any other
/// input is shown as "not measured in this run", never as a verdict.
/// </summary>
public static class InputAdmission
{
    /// <summary>Why the run does not vouch for the file an input was read from; null when it does.</summary>
    public static Text? ProvenanceRefusal(EvidenceRun? run, string name, string? sha256)
    {
        if (run is null)
        {
            return NotMeasured("no evidence run is recorded (scripts/evidence.sh writes docs/poc-report/inputs/run.json)",
                "기록된 증거 실행이 없음 (scripts/evidence.sh가 docs/poc-report/inputs/run.json을 씀)");
        }

        if (run.StampOf(name) is not { } stamp)
        {
            return NotMeasured($"the run of commit {run.ShortCommit} did not produce it", $"커밋 {run.ShortCommit}의 실행에서 만들어지지 않음");
        }

        if (sha256 is null || !string.Equals(stamp.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
        {
            return NotMeasured("the file changed after the run recorded it", "실행이 기록한 뒤 파일이 바뀜");
        }

        var stampCommit = SourceTree.Short(stamp.Commit);
        if (stamp.Commit != run.Commit)
        {
            return NotMeasured($"measured on commit {stampCommit}, not the run's {run.ShortCommit}", $"커밋 {stampCommit}에서 측정됨 (실행의 커밋은 {run.ShortCommit})");
        }

        return stamp.Clean ? null : NotMeasured($"measured with uncommitted changes on top of {stampCommit}", $"{stampCommit} 위의 커밋되지 않은 변경과 함께 측정됨");
    }

    /// <summary>Fault isolation is stated for the full drill against LP's default profile: a smaller or gentler drill says less.</summary>
    public static Text? ChaosRefusal(ChaosDrillRecord record)
    {
        var full = new ChaosOptions();
        var drill = record.Drill;
        if (drill.Reports < full.Reports || drill.Instances < full.Instances || drill.LpOutage < full.LpOutage
            || drill.PostgresDown < full.PostgresDown || drill.LpErrorRate < full.LpErrorRate || drill.LpRejectRate < full.LpRejectRate)
        {
            return NotMeasured(
                $"a reduced drill ({drill.Reports} reports, {drill.Instances} instances, LP down {drill.LpOutage.TotalSeconds:0} s, PostgreSQL down {drill.PostgresDown.TotalSeconds:0} s) is not the full one ({full.Reports}, {full.Instances}, {full.LpOutage.TotalSeconds:0} s, {full.PostgresDown.TotalSeconds:0} s)",
                $"축소된 드릴(보고서 {drill.Reports}건, 인스턴스 {drill.Instances}개, LP 장애 {drill.LpOutage.TotalSeconds:0}초, PostgreSQL 장애 {drill.PostgresDown.TotalSeconds:0}초)은 전체 드릴({full.Reports}건, {full.Instances}개, {full.LpOutage.TotalSeconds:0}초, {full.PostgresDown.TotalSeconds:0}초)이 아님");
        }

        return LpRefusal(record.LpProfile, record.LpCapacity);
    }

    /// <summary>The benchmark's verdicts are stated for LP's default profile (the LP-bound runs are the yardstick).</summary>
    public static Text? BenchmarkRefusal(BenchmarkResults results) => results.LpProfile is not { } lp
        ? NotMeasured("the results do not say which LP they met", "결과에 LP 설정이 없음")
        : LpRefusal(new LpProfile(lp.SetQueueLatencyMs, lp.LpRunLatencyMs, LpProfile.Default.JitterRatio), lp.Capacity);

    public static Input<T> Admit<T>(Input<T> input, Text? refusal) where T : class =>
        refusal is null || input.Value is null ? input : input with { Value = null, Problem = refusal };

    private static Text? LpRefusal(LpProfile profile, int capacity) =>
        profile == LpProfile.Default && capacity == LpProfile.DefaultCapacity
            ? null
            : NotMeasured(
                $"LP's profile was setQueue {profile.SetQueueLatencyMs} ms, LPRUN {profile.LpRunLatencyMs} ms, capacity {capacity}, not the default ({LpProfile.Default.SetQueueLatencyMs} ms, {LpProfile.Default.LpRunLatencyMs} ms, {LpProfile.DefaultCapacity})",
                $"LP 설정이 setQueue {profile.SetQueueLatencyMs}ms, LPRUN {profile.LpRunLatencyMs}ms, 용량 {capacity}로 기본값({LpProfile.Default.SetQueueLatencyMs}ms, {LpProfile.Default.LpRunLatencyMs}ms, {LpProfile.DefaultCapacity})이 아님");

    private static Text NotMeasured(string en, string ko) => new($"not measured in this run: {en}", $"이번 실행에서 측정되지 않음: {ko}");
}
