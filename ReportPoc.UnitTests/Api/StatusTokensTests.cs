using Microsoft.Extensions.Configuration;
using ReportPoc.Api.Submissions;

namespace ReportPoc.UnitTests.Api;

public sealed class StatusTokensTests
{
    private static readonly Guid ReportId = Guid.NewGuid();
    private static readonly DateTimeOffset AcceptedAt = new(2026, 11, 25, 8, 30, 15, 123, TimeSpan.Zero);

    private readonly StatusTokens _tokens = Tokens("the-key");

    [Fact]
    public void ATokenIssuedForAReportVouchesForItsAcceptance() =>
        Assert.Equal(AcceptedAt, _tokens.Verify(ReportId, _tokens.Issue(ReportId, AcceptedAt)));

    [Fact]
    public void ATokenWithAnotherTimeIsRefused()
    {
        var (time, signature) = Split(_tokens.Issue(ReportId, AcceptedAt));

        Assert.Null(_tokens.Verify(ReportId, $"{long.Parse(time) + 1}.{signature}"));
    }

    [Fact]
    public void ATokenWithAnotherSignatureIsRefused()
    {
        var (time, signature) = Split(_tokens.Issue(ReportId, AcceptedAt));
        var tampered = (signature[0] == 'A' ? 'B' : 'A') + signature[1..];

        Assert.Null(_tokens.Verify(ReportId, $"{time}.{tampered}"));
    }

    [Fact]
    public void AnotherReportsTokenIsRefused() =>
        Assert.Null(_tokens.Verify(Guid.NewGuid(), _tokens.Issue(ReportId, AcceptedAt)));

    [Fact]
    public void ATokenSignedWithAnotherKeyIsRefused() =>
        Assert.Null(_tokens.Verify(ReportId, Tokens("another-key").Issue(ReportId, AcceptedAt)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("1.2.3")]
    [InlineData("-5.abc")]
    [InlineData(".")]
    public void AMalformedTokenIsRefused(string? token) => Assert.Null(_tokens.Verify(ReportId, token));

    [Fact]
    public void WithoutAKeyTheApiDoesNotStart() =>
        Assert.Throws<InvalidOperationException>(() => new StatusTokens(new ConfigurationBuilder().Build()));

    private static StatusTokens Tokens(string key) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["StatusTokenKey"] = key }).Build());

    private static (string Time, string Signature) Split(string token) => token.Split('.') is [var time, var signature]
        ? (time, signature)
        : throw new FormatException(token);
}
