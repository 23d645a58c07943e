using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;
using static ReportPoc.Evidence.Writing.Format;

namespace ReportPoc.Evidence.Sections;

/// <summary>The commands that produce every number of the report, and which outputs this report was made from.</summary>
public sealed class ReproduceSection(EvidenceInputs inputs) : IReportSection
{
    public void Write(ReportDocument document)
    {
        document.Heading(2, "10. How to reproduce", "10. 재현 방법");
        document.Paragraph(
            "On a quiet machine (nothing else using the cores), from the repository root, one command runs the whole evidence run — the full benchmark, the whole test suite, the full chaos drill — and then writes this report in both languages:",
            "다른 작업이 코어를 쓰지 않는 조용한 머신에서, 저장소 루트에서 아래 명령 하나로 전체 증거 수집(전체 벤치마크, 전체 테스트, 전체 카오스 드릴)을 실행하고 이 보고서를 두 언어로 생성합니다.");
        document.Fenced("bash", Text.Same("scripts/evidence.sh"));
        document.Paragraph(
            "It shows which step runs and how long it took, and ends with the paths of the two reports. A step that writes no output stops the run; failing tests or a failing drill still write theirs, "
            + "so the report shows the failures (and the script ends non-zero). `--skip-tests`, `--skip-benchmark`, `--skip-targets` and `--skip-chaos` reuse an output only if an earlier run of the same commit recorded it. The steps, each of which can also be run alone:",
            "어떤 단계가 실행 중이고 얼마나 걸렸는지 보여 주고, 마지막에 두 보고서의 경로를 출력합니다. 결과 파일을 남기지 못한 단계가 있으면 거기서 멈춥니다. 테스트나 드릴이 실패해도 결과 파일은 남으므로 "
            + "보고서에 실패가 그대로 드러나며, 스크립트는 0이 아닌 코드로 끝납니다. `--skip-tests`, `--skip-benchmark`, `--skip-targets`, `--skip-chaos`를 주면 같은 커밋의 이전 실행이 기록한 결과만 다시 사용합니다. 각 단계는 따로 실행할 수도 있습니다.");
        document.Table(
            [new("step", "단계"), new("command", "명령"), new("writes", "출력"), new("what this report read", "이 보고서가 읽은 입력")],
            [
                [new("benchmark: sync vs async, processor bursts, scale curve, memory", "벤치마크: 동기 vs 비동기, Processor 처리량, 확장 곡선, 메모리"),
                 Text.Same("`dotnet run -c Release --project ReportPoc.Benchmark -- compare --out docs/benchmarks`"), new("`docs/benchmarks/results.json` (+ `results.md`, charts)", "`docs/benchmarks/results.json` (+ `results.md`, 차트)"),
                 State(inputs.Benchmark, benchmark => $"`{inputs.Benchmark.Path}`, run started {Time(benchmark.Results.StartedAt)}", benchmark => $"`{inputs.Benchmark.Path}`, {Time(benchmark.Results.StartedAt)} 시작")],
                [new("benchmark: what each path's load costs a cheap request, with a thread-per-request emulation", "벤치마크: 각 경로의 부하가 가벼운 요청에 주는 영향 (thread-per-request 모사 포함)"),
                 Text.Same("`dotnet run -c Release --project ReportPoc.Benchmark -- --collateral --out docs/benchmarks`"), Text.Same("`docs/benchmarks/collateral/results.json` (+ `results.md`, chart)"),
                 State(inputs.Collateral, collateral => $"`{inputs.Collateral.Path}`, run started {Time(collateral.StartedAt)}", collateral => $"`{inputs.Collateral.Path}`, {Time(collateral.StartedAt)} 시작")],
                [new("benchmark: the round-2 modes behind the targets table (accept with hey, pickup and idle CPU, the soak)", "벤치마크: 목표 표의 근거인 2차 측정 모드 (hey로 접수, pickup과 유휴 CPU, 장시간 부하)"),
                 Text.Same("`… -- --accept`, `… -- --pickup`, `… -- --soak 30m` (each `--out docs/benchmarks`)"), Text.Same("`docs/benchmarks/{accept,pickup,soak}/results.json`"),
                 new Text($"accept: {Read(inputs.Accept).En}; pickup: {Read(inputs.Pickup).En}; soak: {Read(inputs.Soak).En}",
                     $"accept: {Read(inputs.Accept).Ko}; pickup: {Read(inputs.Pickup).Ko}; soak: {Read(inputs.Soak).Ko}")],
                [new("the whole test suite, with TRX results", "전체 테스트 (TRX 결과 포함)"),
                 Text.Same("`dotnet test --solution ReportPoc.sln --report-xunit-trx --results-directory \"$PWD/artifacts/tests\"`"), Text.Same("`artifacts/tests/*.trx`"),
                 State(inputs.Tests, run => $"`{inputs.Tests.Path}`: {string.Join(", ", run.Files)}", run => $"`{inputs.Tests.Path}`: {string.Join(", ", run.Files)}")],
                [new("the full chaos drill, with the default LP profile", "전체 카오스 드릴 (기본 LP 프로필)"),
                 Text.Same("`REPORTPOC_CHAOS=full REPORTPOC_LP_PROFILE=default dotnet test --project ReportPoc.Tests --filter-class \"*ChaosTests\"`"),
                 Text.Same("`artifacts/chaos/result.json` (`Chaos:ResultPath`)"),
                 State(inputs.Chaos, chaos => $"`{inputs.Chaos.Path}`, finished {Time(chaos.Record.FinishedAt)}", chaos => $"`{inputs.Chaos.Path}`, {Time(chaos.Record.FinishedAt)} 종료")],
                [new("this report", "이 보고서"), Text.Same("`dotnet run --project ReportPoc.Evidence`"), Text.Same("`docs/poc-report.md`, `docs/poc-report.ko.md`, `docs/poc-report/*.png`"), new("–", "–")],
            ]);
        document.Paragraph(
            "The drill also runs from the dashboard (`chaos` → *Run chaos drill*) and writes the same file. The generator's options name other inputs: "
            + "`--benchmark <results.json> --collateral <results.json> --accept|--pickup|--soak <results.json> --chaos <result.json> --tests <directory of .trx> --screenshots <directory> --out <directory>`. "
            + "The trace screenshots are not regenerated here: `scripts/screenshots.sh` makes them. How the benchmark measures, and its options: [benchmarks.md](benchmarks.md).",
            "드릴은 대시보드(`chaos` → *Run chaos drill*)에서도 실행할 수 있으며 같은 파일을 씁니다. 생성기는 옵션으로 다른 입력을 지정할 수 있습니다: "
            + "`--benchmark <results.json> --collateral <results.json> --accept|--pickup|--soak <results.json> --chaos <result.json> --tests <.trx 디렉터리> --screenshots <디렉터리> --out <디렉터리>`. "
            + "트레이스 스크린샷은 여기서 다시 만들지 않으며 `scripts/screenshots.sh`로 생성합니다. 벤치마크의 측정 방식과 옵션은 [benchmarks.md](benchmarks.md)에 있습니다.");
    }

    private static Text Read<T>(Input<T> input) where T : class =>
        input.Value is null ? input.Problem ?? new Text("not measured in this run", "이번 실행에서 측정되지 않음") : Text.Same($"`{input.Path}`");

    private static Text State<T>(Input<T> input, Func<T, string> english, Func<T, string> korean) where T : class =>
        input.Value is { } value ? new Text(english(value), korean(value)) : GoalWriting.Missing(input);
}
