using System.Security.Cryptography;
using System.Text;

namespace ReportPoc.Reports.Submissions;

public static class ReportIds
{
    public const int MaxIdempotencyKeyLength = 128;

    /// <summary>
    /// The same Idempotency-Key always names the same report, on every Api replica and without a database
    /// lookup (the async path writes nothing before it answers). Without a key, a new time-ordered id.
    /// </summary>
    public static Guid For(string? idempotencyKey)
    {
        if (idempotencyKey is null)
        {
            return Guid.CreateVersion7();
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes("ReportPoc/idempotency-key/" + idempotencyKey), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // RFC 9562 version 8: a name-based id of our own scheme
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>Printable ASCII without spaces, 1–128 characters (what the header may carry unambiguously).</summary>
    public static bool IsValidIdempotencyKey(string key) =>
        key.Length is > 0 and <= MaxIdempotencyKeyLength && key.All(c => c is > ' ' and <= '~');
}
