using ReportPoc.Contracts.Reports;
using ReportPoc.Reports.Submissions;

namespace ReportPoc.UnitTests.Reports;

public sealed class ReportIdentityTests
{
    private static readonly SubmitReportRequest Request = new("reporter-1", "monthly", "2026-11", "Title", "Content");

    [Fact]
    public void TheSameReportersSameKeyNamesTheSameReport() =>
        Assert.Equal(ReportIdentity.IdFor("reporter-1", "key-1"), ReportIdentity.IdFor("reporter-1", "key-1"));

    [Fact]
    public void AnotherReporterOrAnotherKeyNamesAnotherReport()
    {
        var id = ReportIdentity.IdFor("reporter-1", "key-1");

        Assert.NotEqual(id, ReportIdentity.IdFor("reporter-2", "key-1"));
        Assert.NotEqual(id, ReportIdentity.IdFor("reporter-1", "key-2"));
    }

    [Theory]
    [InlineData("ab", "c", "a", "bc")]
    [InlineData("a/b", "c", "a", "b/c")] // what a plain "reporter/key" join would make equal
    public void WhereReporterEndsAndKeyBeginsIsPartOfTheName(string reporter1, string key1, string reporter2, string key2) =>
        Assert.NotEqual(ReportIdentity.IdFor(reporter1, key1), ReportIdentity.IdFor(reporter2, key2));

    [Fact]
    public void AKeyedIdIsANameBasedUuid()
    {
        var id = ReportIdentity.IdFor("reporter-1", "key-1");

        Assert.Equal(8, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
    }

    [Fact]
    public void WithoutAKeyEverySubmissionGetsAFreshTimeOrderedId()
    {
        var first = ReportIdentity.IdFor("reporter-1", null);
        var second = ReportIdentity.IdFor("reporter-1", null);

        Assert.NotEqual(first, second);
        Assert.Equal(7, first.Version);
        Assert.Equal(7, second.Version);
    }

    [Fact]
    public void EqualFieldsGiveEqualFingerprints() =>
        Assert.Equal(ReportIdentity.FingerprintOf(Request), ReportIdentity.FingerprintOf(Request with { }));

    public static TheoryData<SubmitReportRequest> Changed() =>
    [
        Request with { ReporterId = "reporter-2" },
        Request with { ReportType = "yearly" },
        Request with { Period = "2026-12" },
        Request with { Title = "Title!" },
        Request with { Content = "Content!" },
        Request with { Content = "" },
        Request with { Title = "Tit", Content = "leContent" }, // the same characters, split elsewhere
    ];

    [Theory]
    [MemberData(nameof(Changed))]
    public void AnyChangedFieldGivesAnotherFingerprint(SubmitReportRequest changed) =>
        Assert.NotEqual(ReportIdentity.FingerprintOf(Request), ReportIdentity.FingerprintOf(changed));

    [Fact]
    public void AMissingFieldIsNotAnEmptyOne() =>
        Assert.NotEqual(ReportIdentity.FingerprintOf(Request with { Content = "" }), ReportIdentity.FingerprintOf(Request with { Content = null }));

    [Fact]
    public void ARetryInAnotherUnicodeNormalisationFormHasTheSameFingerprint()
    {
        var composed = Request with { Title = "Caf\u00E9 월간", Content = "r\u00E9sum\u00E9" };                       // NFC
        var decomposed = Request with { Title = "Cafe\u0301 \u110B\u116F\u11AF\u1100\u1161\u11AB", Content = "re\u0301sume\u0301" }; // NFD

        Assert.NotEqual(composed.Title, decomposed.Title);
        Assert.Equal(ReportIdentity.FingerprintOf(composed), ReportIdentity.FingerprintOf(decomposed));
    }
}
