using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// Bad input gets a 4xx ProblemDetails naming the problem, never a 5xx, and leaks nothing: one case per status code
/// through the real Api. The full table of bad submissions runs in the fast tier (ReportPoc.UnitTests, SubmissionReaderTests).
/// </summary>
public sealed class InputValidationTests(ReportPocApp system)
{
    private const string Valid = """{"reporterId":"r-1","reportType":"monthly","period":"2026-11","title":"T","content":"C"}""";

    [Theory]
    [InlineData("/api/reports")]
    [InlineData("/api/reports/sync")]
    public async Task AnInvalidFieldIsABadRequestNamingIt(string path)
    {
        using var response = await system.Api.PostAsync(path, Json(Valid.Replace("2026-11", "2026-13")), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(response.IsProblemJson(), $"Content-Type was {response.Content.Headers.ContentType}");
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        AssertLeaksNothing(text);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("period", out _), $"errors do not name 'period': {errors}");
    }

    [Theory]
    [InlineData("""{"x":1}""", "x")]
    [InlineData("""{"reporterId":"alice","reportType":"monthly","period":"2026-11","title":"T","content":"C","ReporterId":"mallory"}""", "ReporterId")]
    [InlineData("""{"reporterId":"alice","reportType":"monthly","period":"2026-11","title":"T","content":"C","reporterId":"mallory"}""", "reporterId")]
    public async Task AnUnknownMiscasedOrRepeatedFieldIsABadRequestThatNamesNoDotNetType(string body, string field)
    {
        using var response = await system.Api.PostAsync("/api/reports", Json(body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        AssertLeaksNothing(text);
        Assert.DoesNotContain("ReportPoc.", text);
        Assert.DoesNotContain("System.", text);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }

    [Fact]
    public async Task ARetryInAnotherUnicodeNormalisationFormIsARepeatNotAReuse()
    {
        var key = "nfc-" + Guid.NewGuid().ToString("N");
        var decomposed = Reports.ValidBody(title: "Cafe\u0301 " + key);   // NFD: e + COMBINING ACUTE ACCENT
        var composed = Reports.ValidBody(title: "Caf\u00E9 " + key);      // NFC: é

        using var first = await system.Api.SendAsync(Reports.Submit("/api/reports/sync", decomposed, out _, key), TestContext.Current.CancellationToken);
        using var retry = await system.Api.SendAsync(Reports.Submit("/api/reports/sync", composed, out _, key), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal((await first.ReadReportAsync()).Id, (await retry.ReadReportAsync()).Id);
    }

    [Fact]
    public async Task ABodyStreamedPastTheLimitIsPayloadTooLarge()
    {
        // Chunked, without Content-Length: only the server's body limit (which the Api sets) can stop it.
        var body = Encoding.UTF8.GetBytes(Valid.Replace("\"C\"", "\"" + new string('c', 600 * 1024) + "\""));

        using var response = await system.Api.PostAsync("/api/reports", new UnsizedJson(body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True(response.IsProblemJson());
        AssertLeaksNothing(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WrongContentTypeIsUnsupportedMediaType()
    {
        using var response = await system.Api.PostAsync("/api/reports", new StringContent(Valid, Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.True(response.IsProblemJson());
    }

    [Theory]
    [InlineData("/api/reports/00000000-0000-0000-0000-000000000000")]
    [InlineData("/api/reports/not-a-guid")]
    [InlineData("/api/reports/' OR 1=1 --")]
    public async Task UnknownReportIsNotFound(string url)
    {
        using var response = await system.Api.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertLeaksNothing(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ApiStaysHealthyAfterHostileInput()
    {
        HttpContent[] Hostile() =>
        [
            Json("{"),
            Json(new string('[', 100_000)),
            Json(Valid.Replace("\"T\"", "\"\\ud800\"")),
            Json(Valid.Replace("\"C\"", "\"a\\u0000b\"")),
            Json(Valid.Replace("}", ",\"admin\":true}")),
            Json(Valid.Replace("\"C\"", "\"" + new string('c', 600 * 1024) + "\"")),
            new UnsizedJson(Encoding.UTF8.GetBytes(Valid.Replace("\"C\"", "\"" + new string('c', 600 * 1024) + "\""))),
            new StringContent(Valid, Encoding.UTF8, "text/xml"),
        ];

        // All at once, to both endpoints: each is refused with a 4xx, and the Api goes on as before.
        var answers = await Task.WhenAll(new[] { "/api/reports", "/api/reports/sync" }
            .SelectMany(path => Hostile().Select(content => system.Api.PostAsync(path, content, TestContext.Current.CancellationToken))));
        try
        {
            Assert.Equal(16, answers.Length);
            Assert.All(answers, answer => Assert.InRange((int)answer.StatusCode, 400, 499));
        }
        finally
        {
            Array.ForEach(answers, answer => answer.Dispose());
        }

        using var health = await system.Api.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static void AssertLeaksNothing(string body)
    {
        Assert.DoesNotContain("   at ", body);            // a stack trace frame
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("Host=", body);             // a connection string
        Assert.DoesNotContain("bootstrap", body, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A JSON body of no declared length, which HttpClient sends chunked.</summary>
    private sealed class UnsizedJson : HttpContent
    {
        private readonly byte[] _body;

        public UnsizedJson(byte[] body)
        {
            _body = body;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
