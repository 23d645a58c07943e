using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ReportPoc.Api.Submissions;
using ReportPoc.Tests.Infrastructure;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Api;

/// <summary>
/// The scenario tests' response check, with the Api's real OpenAPI document (the Api in-process, its dependencies
/// unreachable): the answers the Api gives without Kafka or the database conform, and an answer that differs from the
/// document — an undeclared status, a missing required header, a field the schema does not declare, a path the
/// document does not know — fails the request.
/// </summary>
public sealed class OpenApiConformanceTests : IAsyncLifetime
{
    private const string AcceptedBody = """{"id":"0b6c8a3e-4c1e-4e0e-9a55-1f2d3c4b5a69","status":"Accepted","acceptedAt":"2026-12-03T18:49:32.1234567+00:00","statusUrl":"/api/reports/0b6c8a3e-4c1e-4e0e-9a55-1f2d3c4b5a69?token=t"}""";

    private readonly WebApplicationFactory<StatusTokens> _api = new WebApplicationFactory<StatusTokens>().WithWebHostBuilder(host => host
        .UseEnvironment("Development")
        .UseSetting("ConnectionStrings:kafka", "127.0.0.1:1")
        .UseSetting("ConnectionStrings:reports", "Host=127.0.0.1;Port=1;Database=reports;Timeout=1")
        .UseSetting("StatusTokens:Key", new string('k', 32))
        .UseSetting("Messaging:ConsumerGroup", "report-processor"));

    private JsonElement _document;

    public async ValueTask InitializeAsync()
    {
        using var client = _api.CreateClient();
        _document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    public static TheoryData<string, string, string?, string?, HttpStatusCode> RealAnswers() => new()
    {
        { "GET", "/api/reports/limits", null, null, HttpStatusCode.OK },
        { "POST", "/api/reports", """{"x":1}""", null, HttpStatusCode.BadRequest },
        { "POST", "/api/reports/sync", """{"reporterId":"a b","reportType":"","period":"2026-13","title":"t","content":"c"}""", null, HttpStatusCode.BadRequest },
        { "POST", "/api/reports", """{"reporterId":"a","reportType":"m","period":"2026-11","title":"t","content":"c"}""", "a b", HttpStatusCode.BadRequest },
        { "GET", "/api/reports/0b6c8a3e-4c1e-4e0e-9a55-1f2d3c4b5a69?token=forged", null, null, HttpStatusCode.NotFound },
        { "GET", "/api/baseline", null, null, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(RealAnswers))]
    public async Task TheApisOwnAnswersConform(string method, string path, string? body, string? idempotencyKey, HttpStatusCode expected)
    {
        using var client = new HttpClient(new OpenApiConformance(_document) { InnerHandler = _api.Server.CreateHandler() }) { BaseAddress = _api.Server.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task AConformingAnswerPasses()
    {
        using var response = await SendAsync("/api/reports", HttpStatusCode.Accepted, AcceptedBody, "application/json", ("Location", "/api/reports/x?token=t"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A202WithoutLocationFails() =>
        Assert.Contains("header Location is required",
            (await Assert.ThrowsAsync<OpenApiConformanceException>(() => SendAsync("/api/reports", HttpStatusCode.Accepted, AcceptedBody, "application/json"))).Message);

    [Fact]
    public async Task AFieldTheSchemaDoesNotDeclareFails() =>
        Assert.Contains("property 'secret' is not declared",
            (await Assert.ThrowsAsync<OpenApiConformanceException>(() => SendAsync("/api/reports", HttpStatusCode.Accepted,
                AcceptedBody.Replace("}", ""","secret":"x"}"""), "application/json", ("Location", "/x")))).Message);

    [Fact]
    public async Task AnUndeclaredStatusFails() =>
        Assert.Contains("declares no 500",
            (await Assert.ThrowsAsync<OpenApiConformanceException>(() => SendAsync("/api/reports", HttpStatusCode.InternalServerError, """{"title":"x"}""", "application/problem+json"))).Message);

    [Fact]
    public async Task A429WithoutRetryAfterFails() =>
        Assert.Contains("header Retry-After is required",
            (await Assert.ThrowsAsync<OpenApiConformanceException>(() => SendAsync("/api/reports/limits", HttpStatusCode.TooManyRequests, """{"title":"x","status":429}""", "application/problem+json"))).Message);

    [Fact]
    public async Task AnUndeclaredContentTypeFails() =>
        Assert.Contains("content type text/html is not declared",
            (await Assert.ThrowsAsync<OpenApiConformanceException>(() => SendAsync("/api/reports/limits", HttpStatusCode.OK, "<p>", "text/html"))).Message);

    [Fact]
    public async Task APathTheDocumentDoesNotKnowFails() =>
        Assert.Contains("not in the document",
            (await Assert.ThrowsAsync<OpenApiConformanceException>(() => SendAsync("/api/secret", HttpStatusCode.OK, "{}", "application/json"))).Message);

    private async Task<HttpResponseMessage> SendAsync(string path, HttpStatusCode status, string body, string mediaType, params (string Name, string Value)[] headers)
    {
        var stub = new StubHttpHandler((_, _) =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
            foreach (var (name, value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return Task.FromResult(response);
        });
        using var client = new HttpClient(new OpenApiConformance(_document) { InnerHandler = stub }) { BaseAddress = new Uri("http://api") };
        var method = path == "/api/reports" ? HttpMethod.Post : HttpMethod.Get;
        return await client.SendAsync(new HttpRequestMessage(method, path), TestContext.Current.CancellationToken);
    }
}
