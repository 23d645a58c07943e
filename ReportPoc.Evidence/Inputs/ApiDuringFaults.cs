using System.Text.Json.Nodes;
using ReportPoc.Evidence.Writing;

namespace ReportPoc.Evidence.Inputs;

/// <summary>The phases of the chaos drill the Api's own latency is compared across: the calm phase and each kind of fault.</summary>
public enum DrillPhase
{
    Calm,
    LpOutage,
    DatabaseOutage,
    ProcessorFaults,
    BrokerOutage,
}

/// <summary>
/// The Api as a client saw it during one phase of the drill: requests, those not answered as designed, those refused by
/// design (503 with Retry-After: nothing accepted, the client told when to retry), and latency.
/// </summary>
public sealed record ApiPhase(DrillPhase Phase, long Requests, long Errors, double P50Ms, double P99Ms, long Refused = 0)
{
    public double ErrorRate => Requests > 0 ? (double)Errors / Requests : double.NaN;
}

/// <summary>
/// The chaos drill record's per-phase Api figures (<c>apiDuringFaults</c>), read defensively: the field is newer than
/// the record's other figures, so a record without it, or with a shape this reader does not know, gives no figures and
/// the reason — "not measured in this run" — never a guess. Accepted shapes: an array of objects naming their phase
/// (<c>phase</c>, <c>name</c> or <c>fault</c>), or an object keyed by phase; each with <c>requests</c>, <c>errors</c>,
/// <c>p50Ms</c> and <c>p99Ms</c> (and, when the drill counts them, <c>refused</c>); at the record's top level or inside
/// <c>result</c>. Several entries of one phase are refused too: which one to believe would be a guess.
/// </summary>
public sealed record ApiDuringFaults(IReadOnlyList<ApiPhase> Phases, Text? Problem)
{
    public const string Field = "apiDuringFaults";

    public ApiPhase? Of(DrillPhase phase) => Phases.FirstOrDefault(figures => figures.Phase == phase);

    public static ApiDuringFaults From(JsonNode? record)
    {
        var field = Property(record, Field) ?? Property(Property(record, "result"), Field);
        if (field is null)
        {
            return Refused($"the drill's record has no `{Field}` (the Api's latency per fault)", $"드릴 기록에 `{Field}`(장애별 API 지연)가 없음");
        }

        var entries = field switch
        {
            JsonArray array => array.Select(entry => (Name: Text(Property(entry, "phase") ?? Property(entry, "name") ?? Property(entry, "fault")), Figures: entry)),
            JsonObject byPhase => byPhase.Select(pair => (Name: (string?)pair.Key, Figures: pair.Value)),
            _ => [],
        };
        var phases = new List<ApiPhase>();
        foreach (var (name, figures) in entries)
        {
            if (PhaseOf(name) is not { } phase || Number(figures, "requests") is not { } requests || Number(figures, "errors") is not { } errors
                || Number(figures, "p50Ms") is not { } p50 || Number(figures, "p99Ms") is not { } p99)
            {
                return Refused($"the drill's `{Field}` has an entry this report cannot read ({name ?? "unnamed"})",
                    $"드릴의 `{Field}`에 읽을 수 없는 항목이 있음 ({name ?? "이름 없음"})");
            }

            if (phases.Any(known => known.Phase == phase))
            {
                return Refused($"the drill's `{Field}` names the phase {phase} twice", $"드릴의 `{Field}`에 {phase} 구간이 두 번 있음");
            }

            phases.Add(new ApiPhase(phase, (long)requests, (long)errors, p50, p99, (long)(Number(figures, "refused") ?? 0)));
        }

        return new ApiDuringFaults(phases, null);
    }

    /// <summary>Names as a drill may write them: calm, baseline; lpOutage, lp-outage; postgres, database; processorKills; brokerBlips, kafka.</summary>
    internal static DrillPhase? PhaseOf(string? name)
    {
        var key = new string((name ?? "").Where(char.IsLetter).ToArray()).ToLowerInvariant();
        return key switch
        {
            _ when key.Contains("calm") || key.Contains("baseline") || key.Contains("steady") => DrillPhase.Calm,
            _ when key.Contains("postgres") || key.Contains("database") || key.StartsWith("db", StringComparison.Ordinal) => DrillPhase.DatabaseOutage,
            _ when key.Contains("broker") || key.Contains("kafka") => DrillPhase.BrokerOutage,
            _ when key.Contains("kill") || key.Contains("processor") => DrillPhase.ProcessorFaults,
            _ when key.StartsWith("lp", StringComparison.Ordinal) => DrillPhase.LpOutage,
            _ => null,
        };
    }

    private static ApiDuringFaults Refused(string en, string ko) => new([], new Text($"not measured in this run: {en}", $"이번 실행에서 측정되지 않음: {ko}"));

    private static JsonNode? Property(JsonNode? node, string name) =>
        node is JsonObject obj ? obj.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).Value : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static double? Number(JsonNode? node, string name) =>
        Property(node, name) is JsonValue value && value.TryGetValue<double>(out var number) && double.IsFinite(number) ? number : null;
}
