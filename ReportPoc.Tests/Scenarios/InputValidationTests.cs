using System.Text;
using System.Text.Json;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>Bad input gets a 4xx ProblemDetails naming the problem, never a 5xx, and leaks nothing.</summary>
public sealed class InputValidationTests(ReportPocApp system)
{
    private const string Valid = """{"reporterId":"r-1","reportType":"monthly","period":"2026-11","title":"T","content":"C"}""";

    public static TheoryData<string, string, string?, int, string?> BadSubmissions()
    {
        var data = new TheoryData<string, string, string?, int, string?>();
        foreach (var path in new[] { "/api/reports", "/api/reports/sync" })
        {
            // case name, body, Idempotency-Key, expected status, field named in the errors
            data.Add(path, "{", null, 400, "body");
            data.Add(path, "not json at all", null, 400, "body");
            data.Add(path, "[]", null, 400, "body");
            data.Add(path, "null", null, 400, "body");
            data.Add(path, Valid.Replace("\"T\"", "42"), null, 400, "title");
            data.Add(path, Valid.Replace("\"title\":\"T\",", ""), null, 400, "title");
            data.Add(path, Valid.Replace("}", ",\"admin\":true}"), null, 400, "admin");
            data.Add(path, Valid.Replace("r-1", "r 1; DROP TABLE reports;--"), null, 400, "reporterId");
            data.Add(path, Valid.Replace("r-1", new string('r', 65)), null, 400, "reporterId");
            data.Add(path, Valid.Replace("monthly", ""), null, 400, "reportType");
            data.Add(path, Valid.Replace("monthly", new string('m', 33)), null, 400, "reportType");
            data.Add(path, Valid.Replace("2026-11", "2026-13"), null, 400, "period");
            data.Add(path, Valid.Replace("2026-11", "11/2026"), null, 400, "period");
            data.Add(path, Valid.Replace("\"T\"", "\"" + new string('t', 201) + "\""), null, 400, "title");
            data.Add(path, Valid.Replace("\"C\"", "\"" + new string('c', 64 * 1024 + 1) + "\""), null, 400, "content");
            data.Add(path, Valid.Replace("\"T\"", "\"\\ud800\""), null, 400, "title");
            data.Add(path, Valid.Replace("\"C\"", "\"a\\u0000b\""), null, 400, "content");
            data.Add(path, Valid.Replace("\"T\"", "\"<script>alert(1)</script>\"").Replace("r-1", "<script>"), null, 400, "reporterId");
            data.Add(path, Valid, "has spaces in it", 400, "Idempotency-Key");
            data.Add(path, Valid, new string('k', 129), 400, "Idempotency-Key");
            data.Add(path, Valid.Replace("\"C\"", "\"" + new string('c', 600 * 1024) + "\""), null, 413, null);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public async Task BadSubmissionIsAProblemNamingTheField(string path, string body, string? idempotencyKey, int expectedStatus, string? field)
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        using var response = await system.Api.SendAsync(request, cancellation);

        Assert.Equal(expectedStatus, (int)response.StatusCode);
        Assert.True(response.IsProblemJson(), $"Content-Type was {response.Content.Headers.ContentType}");
        var text = await response.Content.ReadAsStringAsync(cancellation);
        AssertLeaksNothing(text);
        if (field is not null)
        {
            var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"errors do not name '{field}': {errors}");
        }
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
        using var response = await system.Api.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static void AssertLeaksNothing(string body)
    {
        Assert.DoesNotContain("   at ", body);            // a stack trace frame
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("Host=", body);             // a connection string
        Assert.DoesNotContain("bootstrap", body, StringComparison.OrdinalIgnoreCase);
    }
}
