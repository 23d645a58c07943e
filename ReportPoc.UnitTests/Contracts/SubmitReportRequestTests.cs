using ReportPoc.Contracts.Reports;

namespace ReportPoc.UnitTests.Contracts;

/// <summary>The field rules at their edges: the longest allowed value passes, one more character does not.</summary>
public sealed class SubmitReportRequestTests
{
    private static readonly SubmitReportRequest Valid = new("r-1", "monthly", "2026-11", "T", "C");

    public static TheoryData<string, Request> Accepted() => new()
    {
        { "longest reporterId", Valid with { ReporterId = new string('r', ReportFieldLimits.ReporterIdMaxLength) } },
        { "reporterId of letters, digits, - and _", Valid with { ReporterId = "Ab-9_z" } },
        { "longest reportType", Valid with { ReportType = new string('m', ReportFieldLimits.ReportTypeMaxLength) } },
        { "longest title", Valid with { Title = new string('t', ReportFieldLimits.TitleMaxLength) } },
        { "longest content", Valid with { Content = new string('c', ReportFieldLimits.ContentMaxLength) } },
        { "empty content", Valid with { Content = "" } },
        { "surrogate pair", Valid with { Title = "report \U0001F4C8", Content = "\U0001F600" } },
        { "content with tabs and line breaks", Valid with { Content = "line 1\r\n\tline 2\n" } },
        { "content with an emoji ZWJ sequence", Valid with { Content = "family \U0001F468\u200D\U0001F469\u200D\U0001F467" } },
        { "decomposed title (NFD)", Valid with { Title = "Cafe\u0301" } },
        { "Korean and markup as text", Valid with { Title = "월간 보고서 <b>", Content = "<script>alert(1)</script>" } },
        { "first month", Valid with { Period = "2026-01" } },
        { "last month", Valid with { Period = "2026-12" } },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void AValidRequestHasNoErrors(string why, Request request) =>
        Assert.True(SubmitReportRequest.Validate(request.Value).Count == 0, why);

    public static TheoryData<string, Request, string> Refused() => new()
    {
        { "reporterId", Valid with { ReporterId = new string('r', ReportFieldLimits.ReporterIdMaxLength + 1) }, "At most" },
        { "reporterId", Valid with { ReporterId = "r.1" }, "letters" },
        { "reporterId", Valid with { ReporterId = "r\u00e9" }, "letters" }, // letters, but not ASCII ones
        { "reporterId", Valid with { ReporterId = null }, "Required" },
        { "reporterId", Valid with { ReporterId = "" }, "empty" },
        { "reportType", Valid with { ReportType = new string('m', ReportFieldLimits.ReportTypeMaxLength + 1) }, "At most" },
        { "reportType", Valid with { ReportType = "" }, "empty" },
        { "period", Valid with { Period = "2026-00" }, "yyyy-MM" },
        { "period", Valid with { Period = "2026-1" }, "yyyy-MM" },
        { "period", Valid with { Period = "2026-11-01" }, "At most" },
        { "period", Valid with { Period = null }, "Required" },
        { "title", Valid with { Title = new string('t', ReportFieldLimits.TitleMaxLength + 1) }, "At most" },
        { "title", Valid with { Title = "\udc00 low surrogate alone" }, "lone surrogates" },
        { "title", Valid with { Title = "high surrogate at the end \ud83d" }, "lone surrogates" },
        { "title", Valid with { Title = "two lows \udc00\udc00" }, "lone surrogates" },
        { "content", Valid with { Content = new string('c', ReportFieldLimits.ContentMaxLength + 1) }, "At most" },
        { "content", Valid with { Content = "a\0b" }, "control" },
        { "title", Valid with { Title = "invoice\u202Etxt.exe" }, "U+202E" },
        { "title", Valid with { Title = "zero\u200Bwidth" }, "zero-width" },
        { "title", Valid with { Title = "joined\u200Dword" }, "format" },
        { "title", Valid with { Title = "line\nbreak" }, "line breaks" },
        { "title", Valid with { Title = "tab\tinside" }, "control" },
        { "title", Valid with { Title = "byte order mark \uFEFF" }, "format" },
        { "title", Valid with { Title = "tag \U000E0041" }, "format" }, // a format character outside the BMP
        { "reportType", Valid with { ReportType = "month\u00ADly" }, "format" },
        { "content", Valid with { Content = "a\u202Eb" }, "bidirectional" },
        { "content", Valid with { Content = "isolate \u2066x\u2069" }, "bidirectional" },
        { "content", Valid with { Content = "escape \u001B[31m" }, "control" },
        { "content", Valid with { Content = "delete \u007F" }, "control" },
        { "content", Valid with { Content = "C1 \u0085" }, "control" },
        { "content", Valid with { Content = null }, "Required" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void AnInvalidFieldIsNamedWithTheRuleItBreaks(string field, Request request, string rule)
    {
        var errors = SubmitReportRequest.Validate(request.Value);

        Assert.Equal([field], errors.Keys);
        Assert.Contains(rule, Assert.Single(errors[field]));
    }

    [Fact]
    public void EveryInvalidFieldIsNamed() =>
        Assert.Equal(["content", "period", "reportType", "reporterId", "title"],
            SubmitReportRequest.Validate(new SubmitReportRequest(null, null, null, null, null)).Keys.Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("k", true)]
    [InlineData("~!#$%&'*+-.^_`|", true)]
    [InlineData("", false)]
    [InlineData("with space", false)]
    [InlineData("tab\t", false)]
    [InlineData("del\u007f", false)]
    [InlineData("ü", false)]
    public void AnIdempotencyKeyIsPrintableAsciiWithoutSpaces(string key, bool valid) =>
        Assert.Equal(valid, ReportFieldLimits.IsValidIdempotencyKey(key));

    [Fact]
    public void AnIdempotencyKeyHasAtMost128Characters()
    {
        Assert.True(ReportFieldLimits.IsValidIdempotencyKey(new string('k', ReportFieldLimits.IdempotencyKeyMaxLength)));
        Assert.False(ReportFieldLimits.IsValidIdempotencyKey(new string('k', ReportFieldLimits.IdempotencyKeyMaxLength + 1)));
    }

    /// <summary>
    /// A request as a theory's argument, named with its control characters and surrogates escaped: xunit.v3's TRX report
    /// (which the evidence report reads) breaks off at a test name holding a character XML cannot carry (xunit/xunit#3568).
    /// </summary>
    public sealed record Request(SubmitReportRequest Value)
    {
        public static implicit operator Request(SubmitReportRequest value) => new(value);

        public override string ToString() =>
            string.Concat(Value.ToString().Select(c => char.IsControl(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
