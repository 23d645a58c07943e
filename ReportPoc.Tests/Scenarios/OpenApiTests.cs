using System.Diagnostics;
using System.Text.Json;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>The OpenAPI document declares every answer each endpoint gives, and an independent linter (Redocly) accepts it.</summary>
public sealed class OpenApiTests(ReportPocApp system)
{
    public static TheoryData<string, string, int[]> Operations() => new()
    {
        { "/api/reports/sync", "post", [200, 400, 401, 403, 408, 413, 415, 422, 429, 502, 503, 504] },
        { "/api/reports", "post", [202, 400, 401, 403, 408, 413, 415, 422, 429, 503] },
        { "/api/reports/{id}", "get", [200, 404, 429, 503] },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task EveryAnswerIsDeclaredWithItsProblemSchemaAndAnOperationId(string path, string method, int[] statuses)
    {
        var operation = (await DocumentAsync()).GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.False(string.IsNullOrEmpty(operation.GetProperty("operationId").GetString()));
        var responses = operation.GetProperty("responses");
        Assert.Equal(statuses.Select(status => status.ToString()).Order(), responses.EnumerateObject().Select(response => response.Name).Order());
        foreach (var problem in responses.EnumerateObject().Where(response => response.Name[0] is '4' or '5'))
        {
            Assert.True(problem.Value.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {path} {problem.Name} has no problem schema");
        }
    }

    [Fact]
    public async Task RedoclysRecommendedRulesPassApartFromAuthentication()
    {
        var linter = Path.Combine(RepositoryRoot(), ".tools", "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(linter), "Redocly CLI is missing: ./test.sh installs it (scripts/prerequisites.sh --with-browser).");
        var document = Path.Combine(Path.GetTempPath(), $"reportpoc-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(document, (await DocumentAsync()).GetRawText(), TestContext.Current.CancellationToken);
        try
        {
            var lint = Process.Start(new ProcessStartInfo(linter, ["lint", document, "--config", Path.Combine(RepositoryRoot(), "redocly.yaml")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
            })!;
            var output = await lint.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)
                + await lint.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await lint.WaitForExitAsync(TestContext.Current.CancellationToken);
            TestContext.Current.TestOutputHelper?.WriteLine(output);
            Assert.True(lint.ExitCode == 0, output);
        }
        finally
        {
            File.Delete(document);
        }
    }

    private async Task<JsonElement> DocumentAsync() =>
        await system.Api.GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ReportPoc.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (ReportPoc.sln) is not above the test's output folder.");
    }
}
