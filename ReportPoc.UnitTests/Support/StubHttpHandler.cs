namespace ReportPoc.UnitTests.Support;

/// <summary>An HTTP "server" in-process: every request is answered (or failed) by the given function.</summary>
public sealed class StubHttpHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        answer(request, cancellationToken);
}
