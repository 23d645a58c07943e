using System.Buffers.Binary;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace ReportPoc.Api.Submissions;

/// <summary>Configuration section <c>StatusTokens</c>; the AppHost generates the key (a secret parameter).</summary>
public sealed class StatusTokenOptions
{
    public const string Section = "StatusTokens";

    [Required]
    [MinLength(32)]
    public string Key { get; set; } = "";
}

/// <summary>
/// What a valid token vouches for: when the submission was accepted, a prefix of its fingerprint, and whether the
/// broker confirmed it (false when the Api answered "outcome unknown": the report may or may not exist).
/// </summary>
public sealed record StatusCapability(DateTimeOffset AcceptedAt, string FingerprintPrefix, bool Confirmed)
{
    /// <summary>Whether the stored report is the submission this token was issued for (not another one under a reused key).</summary>
    public bool Matches(string? fingerprint) => fingerprint is null || fingerprint.StartsWith(FingerprintPrefix, StringComparison.Ordinal);
}

/// <summary>
/// Reads are capabilities: a report is read with the token of its status URL, an HMAC over the report id, when it was
/// accepted, and a prefix of the request's fingerprint. Checking it needs no database, so a guessed id, a foreign
/// id and a forged token are the same 404, answered without a query. The async path writes nothing before it answers;
/// with a valid token the Api can still vouch that a report not yet stored was accepted, and when. The fingerprint
/// lets a reader whose Idempotency-Key was reused for other content see that conflict, not the other report.
/// Format: <c>{acceptedAt, Unix ms}.{fingerprint prefix}.{c = confirmed | u = unconfirmed}.{signature}</c>, URL-safe.
/// </summary>
public sealed class StatusTokens(IOptions<StatusTokenOptions> options)
{
    /// <summary>66 bits of the fingerprint: enough to tell two submissions apart, short enough for a URL.</summary>
    private const int FingerprintPrefixLength = 11;

    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.Key);

    private const string ConfirmedFlag = "c";
    private const string UnconfirmedFlag = "u";

    public string Issue(Guid reportId, DateTimeOffset acceptedAt, string fingerprint, bool confirmed = true)
    {
        var acceptedAtMs = acceptedAt.ToUnixTimeMilliseconds();
        var prefix = fingerprint[..FingerprintPrefixLength];
        var flag = confirmed ? ConfirmedFlag : UnconfirmedFlag;
        return $"{acceptedAtMs}.{prefix}.{flag}.{Sign(reportId, acceptedAtMs, prefix, flag)}";
    }

    /// <returns>What the token vouches for, or null when it is not one this Api issued for the id.</returns>
    public StatusCapability? Verify(Guid reportId, string? token)
    {
        var parts = token?.Split('.');
        if (parts is not [var time, var prefix, var flag and (ConfirmedFlag or UnconfirmedFlag), var signature]
            || prefix.Length != FingerprintPrefixLength
            || !long.TryParse(time, NumberStyles.None, CultureInfo.InvariantCulture, out var acceptedAtMs)
            || acceptedAtMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(reportId, acceptedAtMs, prefix, flag)), Encoding.ASCII.GetBytes(signature)))
        {
            return null;
        }

        return new StatusCapability(DateTimeOffset.FromUnixTimeMilliseconds(acceptedAtMs), prefix, flag == ConfirmedFlag);
    }

    private string Sign(Guid reportId, long acceptedAtMs, string fingerprintPrefix, string flag)
    {
        Span<byte> data = stackalloc byte[25 + FingerprintPrefixLength];
        reportId.TryWriteBytes(data[..16], bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(data[16..24], acceptedAtMs);
        data[24] = (byte)flag[0];
        Encoding.ASCII.GetBytes(fingerprintPrefix, data[25..]);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, data, mac);
        return WebEncoders.Base64UrlEncode(mac[..16]);
    }
}
