using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Reports.Submissions;

/// <summary>How a submission is named (its report id) and recognised again (its fingerprint).</summary>
public static class ReportIdentity
{
    /// <summary>
    /// An Idempotency-Key names one submission of one reporter: the id is a hash of both, so the same reporter's same
    /// key gives the same id on every Api replica without a database lookup (the async path writes nothing before it
    /// answers), and two reporters who pick the same key get two reports. Without a key, a new time-ordered id.
    /// </summary>
    public static Guid IdFor(string reporterId, string? idempotencyKey)
    {
        if (idempotencyKey is null)
        {
            return Guid.CreateVersion7();
        }

        // Length-prefixed so that ("ab", "c") and ("a", "bc") cannot name the same report.
        var hash = Hash($"ReportPoc/idempotency-key/{reporterId.Length}:{reporterId}/{idempotencyKey}");
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // RFC 9562 version 8: a name-based id of our own scheme
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>
    /// A hash of every submitted field: equal for a repeat of the same request, different when a key is reused for
    /// another report (an idempotency conflict). Each field is hashed in Unicode normalisation form C, so a retry whose
    /// client composes "é" differently (NFD: e + U+0301) is the same request, not a reuse. The fields are valid
    /// (SubmitReportRequest.Validate: no lone surrogates) wherever this is called.
    /// </summary>
    public static string FingerprintOf(SubmitReportRequest request)
    {
        var canonical = new StringBuilder();
        foreach (var field in new[] { request.ReporterId, request.ReportType, request.Period, request.Title, request.Content })
        {
            var normalised = field?.Normalize(NormalizationForm.FormC);
            canonical.Append(normalised?.Length ?? -1).Append(':').Append(normalised).Append('\n');
        }

        return WebEncoders.Base64UrlEncode(Hash(canonical.ToString()));
    }

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
