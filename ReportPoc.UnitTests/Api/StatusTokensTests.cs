using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ReportPoc.Api.Submissions;

namespace ReportPoc.UnitTests.Api;

public sealed class StatusTokensTests
{
    private const string Key = "a-status-token-key-of-32-characters-at-least";
    private const string Fingerprint = "q3JkXG1b8a0sX9cZ2m4V7yPp1LwE5tRuIo0aSdFgHjK";
    private static readonly Guid ReportId = Guid.NewGuid();
    private static readonly DateTimeOffset AcceptedAt = new(2026, 11, 25, 8, 30, 15, 123, TimeSpan.Zero);

    private readonly StatusTokens _tokens = Tokens(Key);

    [Fact]
    public void ATokenVouchesForTheAcceptanceAndTheSubmissionItWasIssuedFor()
    {
        var capability = _tokens.Verify(ReportId, _tokens.Issue(ReportId, AcceptedAt, Fingerprint));

        Assert.NotNull(capability);
        Assert.Equal(AcceptedAt, capability.AcceptedAt);
        Assert.True(capability.Confirmed);
        Assert.True(capability.Matches(Fingerprint));
        Assert.False(capability.Matches("X" + Fingerprint[1..]));
    }

    [Fact]
    public void AnUnconfirmedTokenSaysSo() =>
        Assert.False(_tokens.Verify(ReportId, _tokens.Issue(ReportId, AcceptedAt, Fingerprint, confirmed: false))!.Confirmed);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ChangingAnyPartOfATokenVoidsIt(int part)
    {
        var parts = _tokens.Issue(ReportId, AcceptedAt, Fingerprint).Split('.');
        parts[part] = part switch
        {
            0 => (long.Parse(parts[0]) + 1).ToString(),
            2 => parts[2] == "c" ? "u" : "c",
            _ => (parts[part][0] == 'A' ? 'B' : 'A') + parts[part][1..],
        };

        Assert.Null(_tokens.Verify(ReportId, string.Join('.', parts)));
    }

    [Fact]
    public void AnotherReportsTokenIsRefused() =>
        Assert.Null(_tokens.Verify(Guid.NewGuid(), _tokens.Issue(ReportId, AcceptedAt, Fingerprint)));

    [Fact]
    public void ATokenSignedWithAnotherKeyIsRefused() =>
        Assert.Null(_tokens.Verify(ReportId, Tokens("another-key-that-is-also-32-characters").Issue(ReportId, AcceptedAt, Fingerprint)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("1.2.3")]
    [InlineData("1.2.c.3")]
    [InlineData("-5.abcdefghijk.c.x")]
    [InlineData("99999999999999999999.abcdefghijk.c.x")]
    [InlineData("...")]
    public void AMalformedTokenIsRefused(string? token) => Assert.Null(_tokens.Verify(ReportId, token));

    [Fact]
    public void AShortKeyIsRefusedAtStartUp()
    {
        var options = new StatusTokenOptions { Key = "short" };
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }

    private static StatusTokens Tokens(string key) => new(Options.Create(new StatusTokenOptions { Key = key }));
}
