using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace ReportPoc.Api.Submissions;

/// <summary>
/// The async path writes nothing before answering, so a report can be accepted and not yet in the database.
/// The status URL carries a signed token "acceptedAt.signature": with it the Api can vouch that the report was
/// accepted (and when) without storing anything; without it an unknown id is a 404.
/// </summary>
public sealed class StatusTokens
{
    private readonly byte[] _key;

    public StatusTokens(IConfiguration configuration)
    {
        var secret = configuration["StatusTokenKey"];
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw new InvalidOperationException("Configuration 'StatusTokenKey' is missing; the AppHost provides it.");
        }

        _key = Encoding.UTF8.GetBytes(secret);
    }

    public string Issue(Guid reportId, DateTimeOffset acceptedAt)
    {
        var acceptedAtMs = acceptedAt.ToUnixTimeMilliseconds();
        return $"{acceptedAtMs}.{Sign(reportId, acceptedAtMs)}";
    }

    /// <returns>When the report was accepted, or null when the token is not one this Api issued for the id.</returns>
    public DateTimeOffset? Verify(Guid reportId, string? token)
    {
        var parts = token?.Split('.');
        if (parts is not [var time, var signature]
            || !long.TryParse(time, NumberStyles.None, CultureInfo.InvariantCulture, out var acceptedAtMs)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(reportId, acceptedAtMs)), Encoding.ASCII.GetBytes(signature)))
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(acceptedAtMs);
    }

    private string Sign(Guid reportId, long acceptedAtMs)
    {
        Span<byte> data = stackalloc byte[24];
        reportId.TryWriteBytes(data[..16], bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(data[16..], acceptedAtMs);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, data, mac);
        return WebEncoders.Base64UrlEncode(mac[..16]);
    }
}
