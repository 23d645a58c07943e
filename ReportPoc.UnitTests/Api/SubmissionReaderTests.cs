using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ReportPoc.Api.Submissions;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.UnitTests.Api;

/// <summary>
/// Every kind of bad input becomes a 4xx naming the problem (both POST endpoints read their body through this).
/// ReportPoc.Tests' InputValidationTests keeps one case per status code end to end.
/// </summary>
public sealed class SubmissionReaderTests
{
    private const string Valid = """{"reporterId":"r-1","reportType":"monthly","period":"2026-11","title":"T","content":"C"}""";

    public static TheoryData<string, string?, int, string> BadSubmissions() => new()
    {
        // body, Idempotency-Key, expected status, field named in the errors
        { "{", null, 400, "body" },
        { "not json at all", null, 400, "body" },
        { "[]", null, 400, "body" },
        { "null", null, 400, "body" },
        { "", null, 400, "body" },
        { Valid.Replace("\"T\"", "42"), null, 400, "title" },
        { Valid.Replace("\"T\"", """{"a":{"a":{"a":{}}}}"""), null, 400, "title" },
        { Valid.Replace("\"title\":\"T\",", ""), null, 400, "title" },
        { Valid.Replace("}", ",\"admin\":true}"), null, 400, "admin" },
        { Valid.Replace("}", ",\"reporterId\":\"mallory\"}"), null, 400, "reporterId" }, // a repeated field: no last-wins
        { Valid.Replace("\"title\"", "\"Title\""), null, 400, "Title" },                     // names are case-sensitive
        { Valid.Replace("}", ",\"ReporterId\":\"mallory\"}"), null, 400, "ReporterId" },
        { Valid.Replace("\"T\"", "\"left \\u202e right\""), null, 400, "title" },               // RIGHT-TO-LEFT OVERRIDE
        { Valid.Replace("\"T\"", "\"zero\\u200bwidth\""), null, 400, "title" },
        { Valid.Replace("\"T\"", "\"bell\\u0007\""), null, 400, "title" },
        { Valid.Replace("\"T\"", "\"two\\nlines\""), null, 400, "title" },
        { Valid.Replace("monthly", "month\\u00adly"), null, 400, "reportType" },                  // SOFT HYPHEN (Cf)
        { Valid.Replace("\"C\"", "\"a \\u202e b\""), null, 400, "content" },
        { Valid.Replace("\"C\"", "\"escape \\u001b[31m\""), null, 400, "content" },
        { Valid.Replace("}", ",}"), null, 400, "body" },
        { Valid.Replace("r-1", "r 1; DROP TABLE reports;--"), null, 400, "reporterId" },
        { Valid.Replace("r-1", new string('r', 65)), null, 400, "reporterId" },
        { Valid.Replace("monthly", ""), null, 400, "reportType" },
        { Valid.Replace("monthly", new string('m', 33)), null, 400, "reportType" },
        { Valid.Replace("2026-11", "2026-13"), null, 400, "period" },
        { Valid.Replace("2026-11", "11/2026"), null, 400, "period" },
        { Valid.Replace("\"T\"", "\"" + new string('t', 201) + "\""), null, 400, "title" },
        { Valid.Replace("\"C\"", "\"" + new string('c', 64 * 1024 + 1) + "\""), null, 400, "content" },
        { Valid.Replace("\"T\"", "\"\\ud800\""), null, 400, "title" },
        { Valid.Replace("\"C\"", "\"a\\u0000b\""), null, 400, "content" },
        { Valid.Replace("\"T\"", "\"<script>alert(1)</script>\"").Replace("r-1", "<script>"), null, 400, "reporterId" },
        { Valid, "has spaces in it", 400, "Idempotency-Key" },
        { Valid, new string('k', 129), 400, "Idempotency-Key" },
        { Valid, "", 400, "Idempotency-Key" },
        { Valid, "ключ", 400, "Idempotency-Key" },
        { Valid.Replace("\"C\"", "\"" + new string('c', 600 * 1024) + "\""), null, 413, "body" },
    };

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public async Task ABadSubmissionIsRefusedNamingTheField(string body, string? idempotencyKey, int status, string field)
    {
        var read = await ReadAsync(Post(body), idempotencyKey);

        Assert.False(read.IsValid);
        Assert.Equal(status, read.StatusCode);
        Assert.True(read.Errors.ContainsKey(field), $"The errors name {string.Join(", ", read.Errors.Keys)}, not {field}.");
        Assert.All(read.Errors.Values.SelectMany(messages => messages), message =>
        {
            Assert.DoesNotContain("Exception", message);
            Assert.DoesNotContain("   at ", message);
            Assert.DoesNotContain("ReportPoc.", message);
            Assert.DoesNotContain("System.", message);
            Assert.DoesNotContain("LineNumber", message);
        });
    }

    [Theory]
    [InlineData("""{"x":1}""", "x")]
    [InlineData("""{"reporterId":1}""", "reporterId")]
    [InlineData("[1]", "body")]
    public async Task AnUnreadableBodyIsAnsweredWithAFixedTextThatNamesNoDotNetType(string body, string field)
    {
        var read = await ReadAsync(Post(body));

        var message = Assert.Single(read.Errors[field]);
        Assert.Contains(message, new[]
        {
            "Send one JSON object with the fields reporterId, reportType, period, title, content.",
            "Give this field once, as a JSON string.",
            "Not a field of this request (the fields are reporterId, reportType, period, title, content; names are case-sensitive).",
        });
    }

    [Fact]
    public async Task ContentKeepsItsLineBreaksTabsAndEmojiSequences()
    {
        var read = await ReadAsync(Post(Valid.Replace("\"C\"", "\"line 1\\r\\n\\tline 2 \\ud83d\\udc68\\u200d\\ud83d\\udc69\"")));

        Assert.True(read.IsValid, string.Join("; ", read.Errors.SelectMany(error => error.Value)));
    }

    [Fact]
    public async Task AValidSubmissionIsRead()
    {
        var read = await ReadAsync(Post(Valid), "key-1");

        Assert.True(read.IsValid);
        Assert.Equal(200, read.StatusCode);
        Assert.Empty(read.Errors);
        Assert.Equal(new SubmitReportRequest("r-1", "monthly", "2026-11", "T", "C"), read.Request);
    }

    [Fact]
    public async Task ABodyDeclaredTooLargeIsRefusedUnread()
    {
        var request = Post(Valid);
        request.ContentLength = ReportFieldLimits.MaxBodyBytes + 1;
        request.Body = new UnreadableStream();

        var read = await ReadAsync(request);

        Assert.Equal(413, read.StatusCode);
    }

    [Fact]
    public async Task ABodyStreamedPastTheLimitIsTooLarge()
    {
        // Chunked: no Content-Length. The reader must set the server's body limit, which the server enforces while reading.
        var request = Post(Valid.Replace("\"C\"", "\"" + new string('c', 600 * 1024) + "\""));
        request.ContentLength = null;
        var limit = new BodySizeLimit();
        request.HttpContext.Features.Set<IHttpMaxRequestBodySizeFeature>(limit);
        request.Body = new LimitedBody(request.Body, limit);

        var read = await ReadAsync(request);

        Assert.Equal(ReportFieldLimits.MaxBodyBytes, limit.MaxRequestBodySize);
        Assert.Equal(413, read.StatusCode);
    }

    [Fact]
    public async Task ABodyStreamedWithinTheLimitIsRead()
    {
        var request = Post(Valid.Replace("\"C\"", "\"" + new string('c', ReportFieldLimits.ContentMaxLength) + "\""));
        request.ContentLength = null;
        var limit = new BodySizeLimit();
        request.HttpContext.Features.Set<IHttpMaxRequestBodySizeFeature>(limit);
        request.Body = new LimitedBody(request.Body, limit);

        Assert.True((await ReadAsync(request)).IsValid);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task ABodyThatIsNotJsonIsAnUnsupportedMediaType(string? contentType)
    {
        var request = Post(Valid);
        request.ContentType = contentType;

        var read = await ReadAsync(request);

        Assert.Equal(415, read.StatusCode);
        Assert.True(read.Errors.ContainsKey("Content-Type"));
    }

    [Fact]
    public async Task JsonWithACharsetIsJson()
    {
        var request = Post(Valid);
        request.ContentType = "application/json; charset=utf-8";

        Assert.True((await ReadAsync(request)).IsValid);
    }

    private static Task<SubmissionRead> ReadAsync(HttpRequest request, string? idempotencyKey = null) =>
        SubmissionReader.ReadAsync(request, idempotencyKey, TestContext.Current.CancellationToken);

    private static HttpRequest Post(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new DefaultHttpContext().Request;
        request.Method = HttpMethods.Post;
        request.ContentType = "application/json";
        request.ContentLength = bytes.Length;
        request.Body = new MemoryStream(bytes);
        return request;
    }

    /// <summary>The server's body size limit, which the reader sets for its endpoint.</summary>
    private sealed class BodySizeLimit : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => false;

        public long? MaxRequestBodySize { get; set; }
    }

    /// <summary>A request body that fails past the limit as Kestrel's does.</summary>
    private sealed class LimitedBody(Stream inner, BodySizeLimit limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > limit.MaxRequestBodySize
                ? throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge)
                : read;
        }
    }

    /// <summary>A body the reader must not read.</summary>
    private sealed class UnreadableStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("The body was read.");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The body was read.");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The body was read.");
    }
}
