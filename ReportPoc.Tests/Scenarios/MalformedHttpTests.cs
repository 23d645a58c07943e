using System.Net.Sockets;
using System.Text;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// Requests a well-behaved HttpClient cannot send, written byte by byte over a raw socket: every one is answered
/// 400/408 with a ProblemDetails body that names no internals, never 500, and the Api stays healthy.
/// </summary>
public sealed class MalformedHttpTests(ReportPocApp system)
{
    private const string ValidJson = """{"reporterId":"raw-1","reportType":"monthly","period":"2026-11","title":"Raw","content":"C"}""";

    [Theory]
    [InlineData("/api/reports")]
    [InlineData("/api/reports/sync")]
    public async Task InvalidChunkedFramingIs400(string path)
    {
        var answer = await SendRawAsync(Head(path, "Transfer-Encoding: chunked") + "zz\r\n" + ValidJson + "\r\n0\r\n\r\n");
        AssertClientError(answer, 400);
    }

    [Theory]
    [InlineData("/api/reports")]
    [InlineData("/api/reports/sync")]
    public async Task ABodyEndingBeforeItsContentLengthIsA400OrAClosedConnectionNeverA500(string path)
    {
        // Promise 500 bytes, send fewer, then close the sending side: the request can never be completed. The Api
        // answers 400; whether that reaches a client that has closed its side depends on what is in between (Aspire's
        // proxy closes the connection), so a closed connection without an answer is the other correct outcome.
        var answer = await SendRawAsync(Head(path, "Content-Length: 500") + ValidJson, halfClose: true);
        if (answer.Length > 0)
        {
            AssertClientError(answer, 400);
        }
    }

    [Fact]
    public async Task ABodyThatStopsArrivingIs408()
    {
        // Kestrel's minimum body data rate (240 bytes/s after a 5 s grace period) gives up on a body that stalls.
        var answer = await SendRawAsync(Head("/api/reports", "Content-Length: 500") + ValidJson[..20], halfClose: false, timeout: TimeSpan.FromSeconds(30));
        AssertClientError(answer, 408);
    }

    [Fact]
    public async Task AfterMalformedRequestsTheApiStillAnswers()
    {
        await SendRawAsync(Head("/api/reports", "Transfer-Encoding: chunked") + "zz\r\n\r\n");
        await SendRawAsync(Head("/api/reports", "Content-Length: 500") + "{", halfClose: true);

        var accepted = await system.Api.SubmitAsyncReportAsync();
        Assert.Equal(ReportPoc.Contracts.Reports.ReportStatus.Completed, (await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, TimeSpan.FromSeconds(60))).Status);
    }

    private string Head(string path, string framing) =>
        $"POST {path} HTTP/1.1\r\nHost: {system.Api.BaseAddress!.Authority}\r\nContent-Type: application/json\r\n{framing}\r\nConnection: close\r\n\r\n";

    private async Task<string> SendRawAsync(string request, bool halfClose = false, TimeSpan? timeout = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(15));
        using var client = new TcpClient();
        await client.ConnectAsync(system.Api.BaseAddress!.Host, system.Api.BaseAddress.Port, deadline.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), deadline.Token);
        if (halfClose)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer, deadline.Token);
        }
        catch (IOException)
        {
            // The server closed the connection after answering; what arrived is the answer.
        }

        return Encoding.UTF8.GetString(answer.ToArray());
    }

    private static void AssertClientError(string answer, int status)
    {
        Assert.StartsWith($"HTTP/1.1 {status} ", answer);
        Assert.Contains("application/problem+json", answer);
        Assert.DoesNotContain("Exception", answer);
        Assert.DoesNotContain("   at ", answer);
    }
}
