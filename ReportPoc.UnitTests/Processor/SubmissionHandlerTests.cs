using System.Net;
using System.Text;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Processor;
using ReportPoc.Processor.Availability;
using ReportPoc.Processor.Consuming;
using ReportPoc.Processor.Handling;
using ReportPoc.Processor.Monitoring;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Lp;
using ReportPoc.Reports.Workflow;
using ReportPoc.UnitTests.Kafka;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Processor;

/// <summary>
/// The async path's rules for one message (docs/design.md §5), with the real workflow against a real PostgreSQL, an LP that
/// answers as each test scripts it, and a real producer (to librdkafka's in-process mock cluster) for dead letters.
/// </summary>
public sealed class SubmissionHandlerTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncDisposable
{
    private readonly MockCluster _kafka = new();
    private readonly ScriptedAnswers _lp = new();
    private ServiceProvider? _services;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnUnexpectedErrorIsRetriedThenDeadLetteredWithItsReasonAndTheReportFailed()
    {
        // LP answers with a queue id longer than the column: the database refuses the row; not an outage — a bug to us.
        _lp.SetQueue = _ => QueueTicket(new string('Q', 100));
        var message = Message(NewSubmission());

        await Handler().HandleAsync(message, Cancellation);

        Assert.Equal(2, _lp.SetQueueCalls); // Processing:MaxUnexpectedErrors = 2 in this test
        var deadLetter = await DeadLetterAsync(message.Message.Key);
        Assert.Equal(DeadLetterReasons.ProcessingError, Header(deadLetter, DeadLetterHeaders.Reason));
        Assert.Contains("PostgresException", Header(deadLetter, DeadLetterHeaders.Error));
        var report = await StoredAsync(message);
        Assert.Equal(ReportStatus.Failed, report.Status);
        Assert.NotNull(report.DeadLetteredAt);
    }

    [Fact]
    public async Task ABodyThatIsNotLpsAnswerIsAnOutageNotAFailureOfTheReport()
    {
        // A proxy's page with 200, then LP's own answer: the report waits, spends no attempt, and completes.
        var answers = 0;
        _lp.SetQueue = _ => Interlocked.Increment(ref answers) <= 3
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>not json</html>", Encoding.UTF8, "application/json") }
            : QueueTicket();
        var message = Message(NewSubmission());

        await Handler().HandleAsync(message, Cancellation).WaitAsync(TimeSpan.FromSeconds(30), Cancellation);

        var report = await StoredAsync(message);
        Assert.Equal((ReportStatus.Completed, 0), (report.Status, report.RejectedAttempts));
        Assert.True(_lp.SetQueueCalls >= 4);
    }

    [Fact]
    public async Task RejectionsSpendAttemptsThenTheDeadLetterComesBeforeFailed()
    {
        _lp.SetQueue = _ => ScriptedLp.LpError(HttpStatusCode.UnprocessableEntity, LpErrors.Rejected);
        var message = Message(NewSubmission());

        await Handler().HandleAsync(message, Cancellation);

        Assert.Equal(2, _lp.SetQueueCalls); // Processing:MaxRejectedAttempts = 2 in this test
        var deadLetter = await DeadLetterAsync(message.Message.Key);
        Assert.Equal(DeadLetterReasons.Rejected, Header(deadLetter, DeadLetterHeaders.Reason));
        var report = await StoredAsync(message);
        Assert.Equal((ReportStatus.Failed, 2), (report.Status, report.RejectedAttempts));
        Assert.True(deadLetter.Message.Timestamp.UtcDateTime <= report.FailedAt!.Value.UtcDateTime.AddMilliseconds(1));
    }

    [Fact]
    public async Task AnOutageSpendsNoAttemptsAndPausesUntilAProbeFindsLpBack()
    {
        var outage = true;
        _lp.SetQueue = _ => outage ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) : QueueTicket();
        _lp.Status = () => new HttpResponseMessage(outage ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK)
        {
            Content = outage ? null : new StringContent(StatsJson, Encoding.UTF8, "application/json"),
        };
        var handler = Handler();
        var dependencies = _services!.GetRequiredService<Dependencies>();
        var message = Message(NewSubmission());

        var handling = handler.HandleAsync(message, Cancellation);
        await Eventually.TrueAsync(() => dependencies.Lp.Outage is not null);
        await Eventually.TrueAsync(() => dependencies.Lp.Probes >= 2);
        outage = false;
        await handling.WaitAsync(TimeSpan.FromSeconds(30), Cancellation);

        var report = await StoredAsync(message);
        Assert.Equal(ReportStatus.Completed, report.Status);
        Assert.Equal(0, report.RejectedAttempts);
        Assert.True(report.Attempts > 1);
        Assert.Null(dependencies.Lp.Outage);
    }

    [Fact]
    public async Task WhenMarkingFailedThrowsTheHandlerBacksOffAndPublishesOneDeadLetter()
    {
        // As a read-only database after a failover would: every attempt to mark this report Failed throws (a trigger
        // refuses it and counts the attempt in a sequence, which a rolled-back transaction does not undo).
        _lp.SetQueue = _ => ScriptedLp.LpError(HttpStatusCode.UnprocessableEntity, LpErrors.Rejected);
        var submission = NewSubmission();
        var sequence = "fail_attempts_" + submission.Id.ToString("N");
        await using (var db = postgres.CreateContext())
        {
#pragma warning disable EF1002 // names made here from a Guid, not input
            await db.Database.ExecuteSqlRawAsync($"""
                CREATE SEQUENCE {sequence};
                CREATE FUNCTION refuse_{sequence}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM nextval('{sequence}'); RAISE EXCEPTION 'cannot execute UPDATE in a read-only transaction'; END $$;
                CREATE TRIGGER refuse_{sequence} BEFORE UPDATE ON reports FOR EACH ROW
                WHEN (NEW."Id" = '{submission.Id}' AND NEW."Status" = 'Failed') EXECUTE FUNCTION refuse_{sequence}();
                """, Cancellation);
        }

        var message = Message(submission);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        var handling = Handler(retryMaxDelay: TimeSpan.FromMilliseconds(500)).HandleAsync(message, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(3), Cancellation);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => handling); // handed back (cancelled), never "done"

        long attempts;
        await using (var db = postgres.CreateContext())
        {
            attempts = await db.Database.SqlQueryRaw<long>($"SELECT last_value AS \"Value\" FROM {sequence}").SingleAsync(Cancellation);
        }
#pragma warning restore EF1002

        Assert.Equal(1, await DeadLettersWithKeyAsync(message.Message.Key, TimeSpan.FromSeconds(5)));
        // Backoff growing to 500 ms (full jitter) allows a few dozen laps in 3 s; a loop without it makes hundreds.
        Assert.True(attempts is >= 2 and <= 40, $"{attempts} attempts to mark the report Failed in 3 s");
        Assert.Equal(ReportStatus.Running, (await StoredAsync(message)).Status);
    }

    [Fact]
    public async Task WhileItsFailedStateCannotBeRecordedTheReportIsRaisedAsStalledUntilItIs()
    {
        _lp.SetQueue = _ => ScriptedLp.LpError(HttpStatusCode.UnprocessableEntity, LpErrors.Rejected);
        var submission = NewSubmission();
        var trigger = "refuse_failed_" + submission.Id.ToString("N");
        await using (var db = postgres.CreateContext())
        {
#pragma warning disable EF1002 // names made here from a Guid, not input
            await db.Database.ExecuteSqlRawAsync($"""
                CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'cannot execute UPDATE in a read-only transaction'; END $$;
                CREATE TRIGGER {trigger} BEFORE UPDATE ON reports FOR EACH ROW
                WHEN (NEW."Id" = '{submission.Id}' AND NEW."Status" = 'Failed') EXECUTE FUNCTION {trigger}();
                """, Cancellation);
        }

        var message = Message(submission);
        var handler = Handler();
        var alarm = _services!.GetRequiredService<OutcomeAlarm>();
        using var metrics = new MeasurementRecorder(_services!);
        var handling = handler.HandleAsync(message, Cancellation);

        await Eventually.TrueAsync(() => alarm.Stalled == 1);
        var stalled = await alarm.CheckHealthAsync(new HealthCheckContext(), Cancellation);
        Assert.Equal(HealthStatus.Degraded, stalled.Status);
        Assert.Contains(submission.Id.ToString(), stalled.Description);
        Assert.Contains("read-only", stalled.Description);
        Assert.Equal(1, metrics.Of("reports.processor.stalled_outcomes").Last().Value);
        Assert.False(handling.IsCompleted);

        // The database takes writes again: the outcome is recorded, and the alarm ends with it.
        await using (var db = postgres.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync($"DROP TRIGGER {trigger} ON reports", Cancellation);
        }
#pragma warning restore EF1002

        await handling.WaitAsync(TimeSpan.FromSeconds(30), Cancellation);
        Assert.Equal(ReportStatus.Failed, (await StoredAsync(message)).Status);
        Assert.Equal(0, alarm.Stalled);
        Assert.Equal(HealthStatus.Healthy, (await alarm.CheckHealthAsync(new HealthCheckContext(), Cancellation)).Status);
        Assert.Equal(0, metrics.Of("reports.processor.stalled_outcomes").Last().Value);
    }

    [Fact]
    public async Task ADeadLetterTheBrokerRefusesForGoodIsNotRetriedAndIsRaised()
    {
        // The dead letter (the message plus its headers) is larger than the producer may send: no retry can mend that.
        _lp.SetQueue = _ => ScriptedLp.LpError(HttpStatusCode.UnprocessableEntity, LpErrors.Rejected);
        var message = Message(NewSubmission(content: new string('C', 2_000)));
        var handler = Handler(messageMaxBytes: 1_000);
        var alarm = _services!.GetRequiredService<OutcomeAlarm>();
        using var metrics = new MeasurementRecorder(_services!);

        await handler.HandleAsync(message, Cancellation).WaitAsync(TimeSpan.FromSeconds(30), Cancellation);

        var refused = Assert.Single(metrics.Of("reports.processor.dead_letters_refused"));
        Assert.Equal((1, DeadLetterReasons.Rejected, nameof(ErrorCode.MsgSizeTooLarge)), (refused.Value, refused.Tags["reason"], refused.Tags["error"]));
        Assert.Empty(metrics.Of("reports.dead_lettered"));
        var report = await StoredAsync(message);
        Assert.Equal((ReportStatus.Failed, null), (report.Status, report.DeadLetteredAt));
        Assert.Equal(HealthStatus.Degraded, (await alarm.CheckHealthAsync(new HealthCheckContext(), Cancellation)).Status);
    }

    [Fact]
    public async Task ARedeliveredFailedReportWithoutItsDeadLetterGetsIt()
    {
        var submission = NewSubmission();
        await using (var db = postgres.CreateContext())
        {
            // As a crash between marking Failed and publishing would leave it, had the order been the other way round.
            db.Reports.Add(new Report
            {
                Id = submission.Id, Path = ReportPath.Async, Status = ReportStatus.Failed, ReporterId = submission.ReporterId,
                ReportType = submission.ReportType, Period = submission.Period, Title = submission.Title, Content = submission.Content,
                AcceptedAt = submission.AcceptedAt, InsertedAt = submission.AcceptedAt, UpdatedAt = submission.AcceptedAt,
                FailedAt = submission.AcceptedAt, RejectedAttempts = 2, LastError = "LP refused it",
            });
            await db.SaveChangesAsync(Cancellation);
        }

        var message = Message(submission);
        await Handler().HandleAsync(message, Cancellation);

        Assert.Equal(DeadLetterReasons.Rejected, Header(await DeadLetterAsync(message.Message.Key), DeadLetterHeaders.Reason));
        Assert.NotNull((await StoredAsync(message)).DeadLetteredAt);
        Assert.Equal(0, _lp.SetQueueCalls);
    }

    private const string StatsJson = """
        {"capacity":8,"inFlightRuns":0,"waitingRuns":0,"peakConcurrentRuns":0,"setQueueCalls":0,"runCalls":0,"runExecutions":0,
         "duplicateSetQueueCalls":0,"duplicateRunExecutions":0,"failedCalls":0,"rejectedCalls":0,"conflictCalls":0,"completedRuns":0,
         "faults":{"errorRate":0,"slowdownFactor":1,"outage":false,"rejectRate":0},"profile":{"setQueueLatencyMs":0,"lpRunLatencyMs":0,"jitterRatio":0}}
        """;

    private SubmissionHandler Handler(TimeSpan? retryMaxDelay = null, int? messageMaxBytes = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IHostApplicationLifetime, ApplicationLifetime>();
        services.AddDbContext<ReportsDbContext>(options => options.UseNpgsql(postgres.ConnectionString));
        services.AddSingleton(new LpClient(new HttpClient(_lp) { BaseAddress = new Uri("http://lp.test") },
            Microsoft.Extensions.Options.Options.Create(new LpClientOptions())));
        services.Configure<WorkflowOptions>(_ => { });
        services.Configure<MessagingOptions>(options => options.ConsumerGroup = "handler-tests");
        services.Configure<ProcessingOptions>(options =>
        {
            options.MaxUnexpectedErrors = 2;
            options.MaxRejectedAttempts = 2;
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
            options.RetryMaxDelay = retryMaxDelay ?? TimeSpan.FromMilliseconds(50);
            options.ProbeInitialDelay = TimeSpan.FromMilliseconds(20);
            options.ProbeMaxDelay = TimeSpan.FromMilliseconds(100);
        });
        services.AddScoped<ReportStore>();
        services.AddScoped<ReportWorkflow>();
        services.AddSingleton<ReportsTelemetry>();
        services.AddSingleton<AssignedPartitions>();
        services.AddSingleton<Dependencies>();
        services.AddProcessorTelemetry();
        services.AddSingleton<OutcomeAlarm>();
        services.AddSingleton(new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = _kafka.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            MessageMaxBytes = messageMaxBytes,
        }).Build());
        services.AddSingleton<DeadLetters>();
        services.AddSingleton<SubmissionHandler>();
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<SubmissionHandler>();
    }

    private static ReportSubmitted NewSubmission(string content = "C") =>
        new(Guid.CreateVersion7(), null, "handler-test", "monthly", "2026-11", "Handler " + Guid.NewGuid().ToString("N")[..6], content, DateTimeOffset.UtcNow);

    private static ConsumeResult<string, byte[]> Message(ReportSubmitted submission) => new()
    {
        Topic = KafkaTopics.Submitted,
        Partition = 0,
        Offset = 0,
        Message = new Message<string, byte[]> { Key = submission.Id.ToString(), Value = submission.ToUtf8Json(), Headers = [] },
    };

    private async Task<ConsumeResult<string, byte[]>> DeadLetterAsync(string key)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = _kafka.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(KafkaTopics.DeadLetter);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result && result.Message.Key == key)
            {
                return result;
            }
        }

        Assert.Fail($"No dead letter with key {key}.");
        return null!;
    }

    private async Task<int> DeadLettersWithKeyAsync(string key, TimeSpan window)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = _kafka.BootstrapServers,
            GroupId = "counter-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(KafkaTopics.DeadLetter);
        var count = 0;
        var deadline = DateTime.UtcNow + window;
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result && result.Message.Key == key)
            {
                count++;
            }
        }

        return count;
    }

    private async Task<Report> StoredAsync(ConsumeResult<string, byte[]> message)
    {
        await using var db = postgres.CreateContext();
        return await db.Reports.AsNoTracking().SingleAsync(report => report.Id == Guid.Parse(message.Message.Key), Cancellation);
    }

    private static string Header(ConsumeResult<string, byte[]> message, string name) => Encoding.UTF8.GetString(message.Message.Headers.GetLastBytes(name));

    private static HttpResponseMessage QueueTicket(string queueId = "Q-1") =>
        new(HttpStatusCode.OK) { Content = new StringContent($$"""{"reportId":"00000000-0000-0000-0000-000000000001","queueId":"{{queueId}}","duplicate":false}""", Encoding.UTF8, "application/json") };

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        _kafka.Dispose();
    }

    /// <summary>An LP whose answers each test scripts: setQueue and the status probe; LPRUN completes at once.</summary>
    private sealed class ScriptedAnswers : HttpMessageHandler
    {
        private int _setQueueCalls;

        public Func<HttpRequestMessage, HttpResponseMessage> SetQueue { get; set; } = _ => QueueTicket();

        public Func<HttpResponseMessage> Status { get; set; } = () => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(StatsJson, Encoding.UTF8, "application/json"),
        };

        public int SetQueueCalls => Volatile.Read(ref _setQueueCalls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            return Task.FromResult(path switch
            {
                "/lp/set-queue" => Counted(request),
                "/lp/status" => Status(),
                "/lp/run" => new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent("""{"reportId":"00000000-0000-0000-0000-000000000001","runId":"R-1","pages":3,"duplicate":false}""", Encoding.UTF8, "application/json"),
                },
                _ => new HttpResponseMessage(HttpStatusCode.NotFound),
            });
        }

        private HttpResponseMessage Counted(HttpRequestMessage request)
        {
            Interlocked.Increment(ref _setQueueCalls);
            return SetQueue(request);
        }
    }
}
