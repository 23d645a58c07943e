using System.Collections.Concurrent;
using ReportPoc.Chaos.Results;

namespace ReportPoc.Chaos.Submissions;

/// <summary>How an attempt to submit was answered, as the drill's client tells it apart.</summary>
internal enum AnswerKind
{
    Accepted,

    /// <summary>503 with Retry-After: the Api refused by design and said when to come back.</summary>
    Refused,

    /// <summary>No answer within the client's timeout, or any other status.</summary>
    Error,
}

/// <summary>
/// The Api's answers to the drill's submissions, per phase of the drill (<see cref="DrillPhases"/>). An attempt counts in
/// the phase in effect when it was sent; attempts sent while no phase is in effect (the recovery between one fault's
/// wave and the next fault) are not counted anywhere.
/// </summary>
internal sealed class ApiAnswers
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(double Ms, AnswerKind Kind)>> _byPhase = new();
    private volatile string? _phase;

    /// <summary>The phase attempts sent now count in (null: none).</summary>
    public string? Phase => _phase;

    /// <summary>Attempts sent from now until the returned scope ends count in <paramref name="phase"/>.</summary>
    public IDisposable During(string phase)
    {
        _phase = phase;
        return new PhaseScope(this);
    }

    public void Record(string? sentDuring, TimeSpan latency, AnswerKind kind)
    {
        if (sentDuring is not null)
        {
            _byPhase.GetOrAdd(sentDuring, _ => new()).Enqueue((latency.TotalMilliseconds, kind));
        }
    }

    /// <summary>Each phase that saw attempts: the calm phase first, then the faults by name.</summary>
    public IReadOnlyList<ApiPhaseFigures> Figures() => _byPhase
        .Select(phase => Summarise(phase.Key, phase.Value.ToArray()))
        .OrderBy(figures => figures.Phase == DrillPhases.Calm ? 0 : 1).ThenBy(figures => figures.Phase, StringComparer.Ordinal)
        .ToList();

    private static ApiPhaseFigures Summarise(string phase, (double Ms, AnswerKind Kind)[] answers)
    {
        var sorted = answers.Select(answer => answer.Ms).Order().ToArray();
        return new ApiPhaseFigures(phase, answers.Length, answers.Count(answer => answer.Kind == AnswerKind.Error),
            answers.Count(answer => answer.Kind == AnswerKind.Refused), Percentile(sorted, 50), Percentile(sorted, 99));
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="percent"/>% of the values at or below it.</summary>
    internal static double Percentile(double[] sorted, double percent) => sorted.Length == 0
        ? double.NaN
        : Math.Round(sorted[Math.Max(0, (int)Math.Ceiling(percent / 100 * sorted.Length) - 1)], 2);

    private sealed class PhaseScope(ApiAnswers answers) : IDisposable
    {
        public void Dispose() => answers._phase = null;
    }
}
