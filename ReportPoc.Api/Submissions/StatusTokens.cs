using System.Buffers.Binary;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace ReportPoc.Api.Submissions;

/// <summary>
/// Configuration section <c>StatusTokens</c>; the AppHost generates the current key (a secret parameter). To rotate:
/// move the current key and its id to <see cref="RetiredKeys"/>, then set a new <see cref="Key"/> and <see cref="KeyId"/>;
/// drop a retired key once <see cref="Lifetime"/> has passed since the rotation (its last tokens have expired by then).
/// </summary>
public sealed partial class StatusTokenOptions : IValidatableObject
{
    public const string Section = "StatusTokens";

    [Required]
    [MinLength(32)]
    public string Key { get; set; } = "";

    /// <summary>Written into every token so the key that signed it can be found after a rotation.</summary>
    [RegularExpression(KeyIdPattern)]
    public string KeyId { get; set; } = "1";

    /// <summary>Keys that no longer sign but still verify, by key id.</summary>
    public Dictionary<string, string> RetiredKeys { get; set; } = [];

    /// <summary>
    /// How long a status URL works after its submission was accepted (an older token is the same 404 as a forged one).
    /// A report is finished within minutes, or once an outage ends (the processor waits it out, docs/design.md §5.3);
    /// 30 days covers that and leaves its reporter weeks to come back to the outcome, while bounding how long a leaked
    /// URL reads anything.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(30);

    private const string KeyIdPattern = "^[A-Za-z0-9_-]{1,16}$";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (id, key) in RetiredKeys)
        {
            if (id == KeyId || !KeyIdFormat().IsMatch(id) || key.Length < 32)
            {
                yield return new ValidationResult($"Retired status-token key '{id}': use an id other than the current KeyId ({KeyIdPattern}) and a key of at least 32 characters.",
                    [nameof(RetiredKeys)]);
            }
        }
    }

    [GeneratedRegex(KeyIdPattern)]
    private static partial Regex KeyIdFormat();
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
/// id, a forged token and an expired one are the same 404, answered without a query. The async path writes nothing
/// before it answers; with a valid token the Api can still vouch that a report not yet stored was accepted, and when.
/// The fingerprint lets a reader whose Idempotency-Key was reused for other content see that conflict, not the other
/// report. The key id names the key that signed it, so status URLs issued before a key rotation keep working.
/// Format: <c>{key id}.{acceptedAt, Unix ms}.{fingerprint prefix}.{c = confirmed | u = unconfirmed}.{signature}</c>, URL-safe.
/// </summary>
public sealed class StatusTokens(IOptions<StatusTokenOptions> options, TimeProvider clock)
{
    /// <summary>66 bits of the fingerprint: enough to tell two submissions apart, short enough for a URL.</summary>
    private const int FingerprintPrefixLength = 11;

    private const string ConfirmedFlag = "c";
    private const string UnconfirmedFlag = "u";

    private readonly string _keyId = options.Value.KeyId;
    private readonly TimeSpan _lifetime = options.Value.Lifetime;

    private readonly Dictionary<string, byte[]> _keys = options.Value.RetiredKeys
        .Append(KeyValuePair.Create(options.Value.KeyId, options.Value.Key))
        .ToDictionary(entry => entry.Key, entry => Encoding.UTF8.GetBytes(entry.Value), StringComparer.Ordinal);

    public string Issue(Guid reportId, DateTimeOffset acceptedAt, string fingerprint, bool confirmed = true)
    {
        var acceptedAtMs = acceptedAt.ToUnixTimeMilliseconds();
        var prefix = fingerprint[..FingerprintPrefixLength];
        var flag = confirmed ? ConfirmedFlag : UnconfirmedFlag;
        return $"{_keyId}.{acceptedAtMs}.{prefix}.{flag}.{Sign(_keys[_keyId], _keyId, reportId, acceptedAtMs, prefix, flag)}";
    }

    /// <returns>What the token vouches for, or null when it is not one this Api issued for the id, or it has expired.</returns>
    public StatusCapability? Verify(Guid reportId, string? token)
    {
        var parts = token?.Split('.');
        if (parts is not [var keyId, var time, var prefix, var flag and (ConfirmedFlag or UnconfirmedFlag), var signature]
            || !_keys.TryGetValue(keyId, out var key)
            || prefix.Length != FingerprintPrefixLength
            || !long.TryParse(time, NumberStyles.None, CultureInfo.InvariantCulture, out var acceptedAtMs)
            || acceptedAtMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(key, keyId, reportId, acceptedAtMs, prefix, flag)), Encoding.ASCII.GetBytes(signature)))
        {
            return null;
        }

        var acceptedAt = DateTimeOffset.FromUnixTimeMilliseconds(acceptedAtMs);
        return clock.GetUtcNow() - acceptedAt > _lifetime ? null : new StatusCapability(acceptedAt, prefix, flag == ConfirmedFlag);
    }

    private static string Sign(byte[] key, string keyId, Guid reportId, long acceptedAtMs, string fingerprintPrefix, string flag)
    {
        // The key id is signed too, so a token cannot be moved to another key's id.
        // Only configured key ids get here (at most 16 characters), so the buffer stays small.
        Span<byte> data = stackalloc byte[25 + FingerprintPrefixLength + keyId.Length];
        reportId.TryWriteBytes(data[..16], bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(data[16..24], acceptedAtMs);
        data[24] = (byte)flag[0];
        Encoding.ASCII.GetBytes(fingerprintPrefix, data[25..]);
        Encoding.ASCII.GetBytes(keyId, data[(25 + FingerprintPrefixLength)..]);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, data, mac);
        return WebEncoders.Base64UrlEncode(mac[..16]);
    }
}
