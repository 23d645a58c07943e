using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ReportPoc.Api.Submissions;
using Microsoft.Extensions.Time.Testing;

namespace ReportPoc.UnitTests.Api;

public sealed class StatusTokensTests
{
    private const string Key = "a-status-token-key-of-32-characters-at-least";
    private const string Fingerprint = "q3JkXG1b8a0sX9cZ2m4V7yPp1LwE5tRuIo0aSdFgHjK";
    private static readonly Guid ReportId = Guid.NewGuid();
    private const string RetiredKey = "a-retired-key-that-is-32-characters-long";
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
    [InlineData(4)]
    public void ChangingAnyPartOfATokenVoidsIt(int part)
    {
        var tokens = Tokens(Key, retired: new() { ["0"] = RetiredKey });
        var parts = tokens.Issue(ReportId, AcceptedAt, Fingerprint).Split('.');
        parts[part] = part switch
        {
            0 => "0", // a key id the Api knows, but not the one that signed
            1 => (long.Parse(parts[1]) + 1).ToString(),
            3 => parts[3] == "c" ? "u" : "c",
            _ => (parts[part][0] == 'A' ? 'B' : 'A') + parts[part][1..],
        };

        Assert.Null(tokens.Verify(ReportId, string.Join('.', parts)));
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
    [InlineData("1.1.2.c.3")]
    [InlineData("1.-5.abcdefghijk.c.x")]
    [InlineData("1.99999999999999999999.abcdefghijk.c.x")]
    [InlineData("unknown-key-id.5.abcdefghijk.c.x")]
    [InlineData("....")]
    public void AMalformedTokenIsRefused(string? token) => Assert.Null(_tokens.Verify(ReportId, token));

    [Fact]
    public void ATokenWorksForItsLifetimeAndIsRefusedAfterIt()
    {
        var clock = new FakeTimeProvider(AcceptedAt);
        var tokens = Tokens(Key, clock: clock, lifetime: TimeSpan.FromDays(30));
        var token = tokens.Issue(ReportId, AcceptedAt, Fingerprint);

        clock.Advance(TimeSpan.FromDays(30));
        Assert.NotNull(tokens.Verify(ReportId, token));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(tokens.Verify(ReportId, token));
    }

    [Fact]
    public void TheDefaultLifetimeCoversMonthsNotYears() =>
        Assert.Equal(TimeSpan.FromDays(30), new StatusTokenOptions().Lifetime);

    [Fact]
    public void AfterAKeyRotationOldStatusUrlsKeepWorkingAndNewTokensUseTheNewKey()
    {
        var beforeRotation = Tokens(Key, keyId: "2026-11");
        var oldToken = beforeRotation.Issue(ReportId, AcceptedAt, Fingerprint);

        var afterRotation = Tokens(RetiredKey, keyId: "2026-12", retired: new() { ["2026-11"] = Key });
        var newToken = afterRotation.Issue(ReportId, AcceptedAt, Fingerprint);

        Assert.NotNull(afterRotation.Verify(ReportId, oldToken));
        Assert.StartsWith("2026-12.", newToken, StringComparison.Ordinal);
        Assert.NotNull(afterRotation.Verify(ReportId, newToken));
        Assert.Null(beforeRotation.Verify(ReportId, newToken));
    }

    [Fact]
    public void ATokenOfARetiredKeyIsRefusedOnceThatKeyIsDropped()
    {
        var oldToken = Tokens(Key, keyId: "old").Issue(ReportId, AcceptedAt, Fingerprint);

        Assert.Null(Tokens(RetiredKey, keyId: "new").Verify(ReportId, oldToken));
    }

    [Theory]
    [InlineData("1", "a-retired-key-that-is-32-characters-long")] // the current key's id
    [InlineData("has.dot", "a-retired-key-that-is-32-characters-long")]
    [InlineData("0", "short")]
    public void AMisconfiguredRetiredKeyIsRefusedAtStartUp(string keyId, string key)
    {
        var options = new StatusTokenOptions { Key = Key, RetiredKeys = { [keyId] = key } };
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }

    [Fact]
    public void AShortKeyIsRefusedAtStartUp()
    {
        var options = new StatusTokenOptions { Key = "short" };
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }

    private static StatusTokens Tokens(string key, string keyId = "1", Dictionary<string, string>? retired = null, TimeProvider? clock = null,
        TimeSpan? lifetime = null) =>
        new(Options.Create(new StatusTokenOptions { Key = key, KeyId = keyId, RetiredKeys = retired ?? [], Lifetime = lifetime ?? TimeSpan.FromDays(30) }),
            clock ?? new FakeTimeProvider(AcceptedAt));
}
