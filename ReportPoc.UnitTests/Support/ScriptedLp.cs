using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Lp;
using ReportPoc.Reports.Lp;

namespace ReportPoc.UnitTests.Support;

/// <summary>What happens to one LPRUN call.</summary>
public enum RunFault
{
    /// <summary>LP runs the report and answers.</summary>
    None,

    /// <summary>LP answers 503 and runs nothing.</summary>
    Unavailable,

    /// <summary>LP has lost the report's queue (a restart): it forgets it and answers 409.</summary>
    UnknownQueue,

    /// <summary>The connection breaks after the request left and before LP got it: LP knows nothing of it.</summary>
    LostBeforeLp,

    /// <summary>LP runs the report, but the connection breaks before its answer arrives.</summary>
    AnswerLost,

    /// <summary>LP starts a run that fails, and the connection breaks before its answer arrives.</summary>
    FailsAnswerLost,

    /// <summary>LP runs the report, and a gateway in front of it answers 502 with a page of its own.</summary>
    GatewayError,

    /// <summary>The call reaches LP only when the test lets late calls arrive (a caller frozen before its LPRUN left).</summary>
    ArrivesLate,
}

/// <summary>What LP saw of one report.</summary>
public sealed record LpReportCalls(
    int SetQueueCalls,
    IReadOnlyList<string> QueueIds,
    int RunCalls,
    IReadOnlyList<DateTimeOffset> RunCallTimes,
    int RunExecutions,
    int DuplicateRunExecutions,
    int Lookups,
    int StaleClaimRefusals,
    string? RunId);

/// <summary>
/// The LP system as the workflow sees it over HTTP, as strict as ReportPoc.LpMock: one queue id per report, every
/// LPRUN call with that queue id is executed (a second one too, counted as a duplicate) unless its fencing token is
/// older than one seen for the report (refused, counted), and the run lookup answers with the report's latest
/// execution: none (404), running, completed or failed. Its own errors carry LP's error body (LpErrors). A test scripts what happens to the
/// next LPRUN calls, can hold runs while they run, and can make setQueue callers meet (to make workers race).
/// </summary>
public sealed class ScriptedLp : HttpMessageHandler
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Report> _reports = [];
    private readonly ConcurrentQueue<RunFault> _runFaults = new();
    private TaskCompletionSource _runsMayEnd = Released();
    private readonly TaskCompletionSource _lateCallsMayArrive = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Meeting? _setQueueMeeting;

    /// <summary>The clock LPRUN calls are timed with (<see cref="LpReportCalls.RunCallTimes"/>).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public LpClient Client() => new(new HttpClient(this) { BaseAddress = new Uri("http://lp.test") },
        Options.Create(new LpClientOptions { RequestTimeout = TimeSpan.FromSeconds(10), RunTimeout = TimeSpan.FromSeconds(10) }));

    public void FailNextRuns(params RunFault[] faults) => Array.ForEach(faults, _runFaults.Enqueue);

    /// <summary>Runs started from now on stay running until <see cref="ReleaseRuns"/>.</summary>
    public void HoldRuns() => _runsMayEnd = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseRuns() => _runsMayEnd.TrySetResult();

    /// <summary>LPRUN calls scripted with <see cref="RunFault.ArrivesLate"/> reach LP now.</summary>
    public void LetLateCallsArrive() => _lateCallsMayArrive.TrySetResult();

    /// <summary>The next <paramref name="callers"/> setQueue calls are answered only once all of them have arrived.</summary>
    public void MakeSetQueueCallersMeet(int callers) => _setQueueMeeting = new Meeting(callers);

    public LpReportCalls this[Guid reportId]
    {
        get
        {
            lock (_gate)
            {
                var report = ReportLocked(reportId);
                return new LpReportCalls(report.SetQueueCalls, [.. report.QueueIds], report.RunCalls, [.. report.RunCallTimes], report.RunExecutions,
                    report.DuplicateRunExecutions, report.Lookups, report.StaleClaimRefusals, report.CompletedRunId);
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Post && path == "/lp/set-queue")
        {
            return await SetQueueAsync((await request.Content!.ReadFromJsonAsync<SetQueueRequest>(cancellationToken))!, cancellationToken);
        }

        if (request.Method == HttpMethod.Post && path == "/lp/run")
        {
            return await RunAsync((await request.Content!.ReadFromJsonAsync<RunRequest>(cancellationToken))!, cancellationToken);
        }

        if (request.Method == HttpMethod.Get && path.StartsWith("/lp/runs/", StringComparison.Ordinal))
        {
            return Lookup(Guid.Parse(path["/lp/runs/".Length..]));
        }

        throw new InvalidOperationException($"The workflow called LP's {request.Method} {path}, which this stand-in does not serve.");
    }

    private async Task<HttpResponseMessage> SetQueueAsync(SetQueueRequest call, CancellationToken cancellationToken)
    {
        if (_setQueueMeeting is { } meeting)
        {
            await meeting.ArriveAsync(cancellationToken);
        }

        lock (_gate)
        {
            var report = ReportLocked(call.ReportId);
            report.SetQueueCalls++;
            var duplicate = report.QueueId is not null;
            if (!duplicate)
            {
                report.QueueId = $"Q-{report.QueueIds.Count + 1}-{call.ReportId:N}"[..16];
                report.QueueIds.Add(report.QueueId);
            }

            return Answer(HttpStatusCode.OK, new QueueTicket(call.ReportId, report.QueueId!, duplicate));
        }
    }

    private async Task<HttpResponseMessage> RunAsync(RunRequest call, CancellationToken cancellationToken)
    {
        var fault = _runFaults.TryDequeue(out var next) ? next : RunFault.None;
        if (fault == RunFault.LostBeforeLp)
        {
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
        }

        if (fault == RunFault.ArrivesLate)
        {
            await _lateCallsMayArrive.Task.WaitAsync(cancellationToken);
        }

        Run run;
        bool duplicate;
        lock (_gate)
        {
            var report = ReportLocked(call.ReportId);
            report.RunCalls++;
            report.RunCallTimes.Add(Clock.GetUtcNow());
            switch (fault)
            {
                case RunFault.Unavailable:
                    return LpError(HttpStatusCode.ServiceUnavailable, LpErrors.Unavailable);
                case RunFault.UnknownQueue:
                    report.QueueId = null;
                    return LpError(HttpStatusCode.Conflict, LpErrors.UnknownQueue);
            }

            if (report.QueueId is null || report.QueueId != call.QueueId)
            {
                return LpError(HttpStatusCode.Conflict, LpErrors.UnknownQueue);
            }

            if (call.FencingToken is { } token)
            {
                if (token < report.HighestFencingToken)
                {
                    report.StaleClaimRefusals++;
                    return LpError(HttpStatusCode.Conflict, LpErrors.StaleClaim);
                }

                report.HighestFencingToken = token;
            }

            duplicate = report.Latest is { State: RunState.Running } || report.CompletedRunId is not null;
            report.DuplicateRunExecutions += duplicate ? 1 : 0;
            report.RunExecutions++;
            run = new Run(fails: fault == RunFault.FailsAnswerLost);
            report.Latest = run;
        }

        var execution = ExecuteAsync(call.ReportId, run, _runsMayEnd.Task);
        if (fault == RunFault.GatewayError)
        {
            return new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>502 Bad Gateway</html>", Encoding.UTF8, "text/html") };
        }

        if (fault is RunFault.AnswerLost or RunFault.FailsAnswerLost)
        {
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.", new IOException("Connection reset by peer"));
        }

        await execution.WaitAsync(cancellationToken);
        return run.State == RunState.Completed
            ? Answer(HttpStatusCode.OK, new RunTicket(call.ReportId, run.RunId!, run.Pages, duplicate))
            : LpError(HttpStatusCode.ServiceUnavailable, LpErrors.Unavailable);
    }

    private HttpResponseMessage Lookup(Guid reportId)
    {
        lock (_gate)
        {
            var report = ReportLocked(reportId);
            report.Lookups++;
            return report.Latest is { } run
                ? Answer(HttpStatusCode.OK, new RunStatus(reportId, run.State, run.RunId, run.RunId is null ? null : run.Pages, report.RunExecutions))
                : LpError(HttpStatusCode.NotFound, LpErrors.NoRun);
        }
    }

    /// <summary>A run goes on in LP whether or not its caller still waits for the answer.</summary>
    private async Task ExecuteAsync(Guid reportId, Run run, Task mayEnd)
    {
        await mayEnd;
        lock (_gate)
        {
            run.End();
            ReportLocked(reportId).CompletedRunId ??= run.RunId;
        }
    }

    private Report ReportLocked(Guid reportId) =>
        _reports.TryGetValue(reportId, out var report) ? report : _reports[reportId] = new Report();

    private static HttpResponseMessage Answer(HttpStatusCode status, object? body = null) =>
        new(status) { Content = body is null ? null : JsonContent.Create(body) };

    /// <summary>LP's own error answer: a problem naming its decision, as ReportPoc.LpMock answers.</summary>
    public static HttpResponseMessage LpError(HttpStatusCode status, string code) => new(status)
    {
        Content = new StringContent($$"""{"title":"LP says {{code}}","status":{{(int)status}},"{{LpErrors.Extension}}":"{{code}}"}""", Encoding.UTF8, "application/problem+json"),
    };

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource();
        released.SetResult();
        return released;
    }

    private sealed class Report
    {
        public string? QueueId { get; set; }
        public List<string> QueueIds { get; } = [];
        public int SetQueueCalls { get; set; }
        public int RunCalls { get; set; }
        public List<DateTimeOffset> RunCallTimes { get; } = [];
        public int RunExecutions { get; set; }
        public int DuplicateRunExecutions { get; set; }
        public int Lookups { get; set; }
        public long HighestFencingToken { get; set; }
        public int StaleClaimRefusals { get; set; }
        public Run? Latest { get; set; }
        public string? CompletedRunId { get; set; }
    }

    private sealed class Run(bool fails)
    {
        public RunState State { get; private set; } = RunState.Running;
        public string? RunId { get; private set; }
        public int Pages { get; } = 7;

        public void End()
        {
            State = fails ? RunState.Failed : RunState.Completed;
            RunId = fails ? null : $"R-{Guid.NewGuid():N}"[..10];
        }
    }

    private sealed class Meeting(int callers)
    {
        private readonly TaskCompletionSource _everyone = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _missing = callers;

        public Task ArriveAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref _missing) == 0)
            {
                _everyone.SetResult();
            }

            return _everyone.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
    }
}
