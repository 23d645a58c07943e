using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReportPoc.Tests.Infrastructure;

/// <summary>A response the OpenAPI document does not declare: its operation, status, headers or body differ from what it says.</summary>
public sealed class OpenApiConformanceException(string message) : Exception(message);

/// <summary>
/// Checks every response the scenario tests receive from the Api against the Api's own OpenAPI document: the operation
/// (method and path template) is documented, the status is one it declares, the declared required headers are there,
/// the content type is a declared one (or there is no body where none is declared), and a JSON body matches the
/// declared schema (<see cref="JsonSchemaSubset"/>). A response that does not fails the request with
/// <see cref="OpenApiConformanceException"/>, and so the test. Event streams are checked up to their headers (their
/// body is read as it arrives). Paths outside /api (the page, health probes, the document itself) and the as-is
/// server emulation (excluded from the document: Development only, never deployed) are not part of the contract.
/// </summary>
public sealed class OpenApiConformance(JsonElement document) : DelegatingHandler
{
    private static readonly string[] Undocumented = ["/api/as-is/"];

    private readonly (string Template, Regex Pattern, JsonElement Item)[] _paths = document.GetProperty("paths").EnumerateObject()
        // Literal paths before templates: /api/reports/limits is not a report id.
        .OrderBy(path => path.Name.Contains('{'))
        .Select(path => (path.Name, new Regex("^" + Regex.Replace(Regex.Escape(path.Name), @"\\\{[^/]+?\}", "[^/]+") + "$"), path.Value))
        .ToArray();

    /// <summary>A client of the Api at <paramref name="baseAddress"/> whose every response is checked against the document it serves.</summary>
    public static async Task<HttpClient> CreateClientAsync(Uri baseAddress, CancellationToken cancellationToken)
    {
        using var plain = new HttpClient { BaseAddress = baseAddress };
        var document = await plain.GetFromJsonAsync<JsonElement>("/openapi/v1.json", cancellationToken);
        return new HttpClient(new OpenApiConformance(document) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = baseAddress };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var problems = await CheckAsync(request, response, cancellationToken);
        if (problems.Count > 0)
        {
            response.Dispose();
            throw new OpenApiConformanceException($"{request.Method} {request.RequestUri!.AbsolutePath} answered {(int)response.StatusCode} " +
                $"not as the OpenAPI document declares: {string.Join("; ", problems)}");
        }

        return response;
    }

    /// <summary>What in the response differs from the document; empty when it conforms or is not part of the contract.</summary>
    public async Task<List<string>> CheckAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (!path.StartsWith("/api/", StringComparison.Ordinal) || Undocumented.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return [];
        }

        var item = _paths.FirstOrDefault(candidate => candidate.Pattern.IsMatch(path));
        if (item.Template is null)
        {
            return [$"the path {path} is not in the document"];
        }

        if (!item.Item.TryGetProperty(request.Method.Method.ToLowerInvariant(), out var operation))
        {
            return [$"{item.Template} has no {request.Method} operation"];
        }

        var status = ((int)response.StatusCode).ToString();
        if (!operation.GetProperty("responses").TryGetProperty(status, out var declared))
        {
            return [$"{operation.GetProperty("operationId").GetString()} declares no {status} (it declares {string.Join(", ", operation.GetProperty("responses").EnumerateObject().Select(r => r.Name))})"];
        }

        var problems = new List<string>();
        if (declared.TryGetProperty("headers", out var headers))
        {
            foreach (var header in headers.EnumerateObject().Where(header => header.Value.TryGetProperty("required", out var required) && required.GetBoolean()))
            {
                var values = response.Headers.TryGetValues(header.Name, out var found) ? found.ToArray()
                    : response.Content.Headers.TryGetValues(header.Name, out found) ? found.ToArray() : [];
                if (values.Length != 1)
                {
                    problems.Add($"header {header.Name} is required (found {values.Length})");
                }
                else if (header.Value.TryGetProperty("schema", out var schema))
                {
                    var value = schema.TryGetProperty("type", out var type) && type.GetString() == "integer" && long.TryParse(values[0], out var number)
                        ? JsonSerializer.SerializeToElement(number)
                        : JsonSerializer.SerializeToElement(values[0]);
                    problems.AddRange(JsonSchemaSubset.Validate(document, schema, value).Select(error => $"header {header.Name}: {error}"));
                }
            }
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!declared.TryGetProperty("content", out var content))
        {
            if (request.Method != HttpMethod.Head && (await response.Content.ReadAsByteArrayAsync(cancellationToken)).Length > 0)
            {
                problems.Add($"a body ({mediaType}) where the document declares none");
            }

            return problems;
        }

        if (mediaType is null || !content.TryGetProperty(mediaType, out var media))
        {
            problems.Add($"content type {mediaType ?? "(none)"} is not declared (declared: {string.Join(", ", content.EnumerateObject().Select(c => c.Name))})");
            return problems;
        }

        if (mediaType is "application/json" or "application/problem+json" && media.TryGetProperty("schema", out var bodySchema))
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            JsonElement body;
            try
            {
                body = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(cancellationToken));
            }
            catch (JsonException exception)
            {
                problems.Add($"the body is not JSON ({exception.Message})");
                return problems;
            }

            problems.AddRange(JsonSchemaSubset.Validate(document, bodySchema, body).Select(error => $"body {error}"));
        }

        return problems;
    }
}
