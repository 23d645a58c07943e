using System.Globalization;

namespace ReportPoc.Contracts.Reports;

/// <summary>What both POST endpoints accept, and what the page shows next to its fields (GET /api/reports/limits).</summary>
public static class ReportFieldLimits
{
    public const int ReporterIdMaxLength = 64;
    public const int ReportTypeMaxLength = 32;
    public const string PeriodFormat = "yyyy-MM";
    public const int PeriodLength = 7;
    public const int TitleMaxLength = 200;
    public const int ContentMaxLength = 64 * 1024;
    public const int IdempotencyKeyMaxLength = 128;

    /// <summary>The longest content may need up to 6 bytes a character once JSON-escaped, plus the other fields.</summary>
    public const long MaxBodyBytes = ContentMaxLength * 6 + 16 * 1024;

    /// <summary>Printable ASCII without spaces, 1–128 characters (what the header may carry unambiguously).</summary>
    public static bool IsValidIdempotencyKey(string key) =>
        key.Length is > 0 and <= IdempotencyKeyMaxLength && key.All(c => c is > ' ' and <= '~');
}

/// <summary>The body of both POST endpoints. Properties are nullable so that a missing field is reported, not defaulted.</summary>
public sealed record SubmitReportRequest(string? ReporterId, string? ReportType, string? Period, string? Title, string? Content)
{
    /// <summary>Field errors keyed by the camelCase field name, the shape ValidationProblem expects.</summary>
    public static Dictionary<string, string[]> Validate(SubmitReportRequest request)
    {
        var errors = new Dictionary<string, string[]>();

        Check("reporterId", request.ReporterId, ReportFieldLimits.ReporterIdMaxLength, errors, value =>
            value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? null : "Use only letters, digits, '-' and '_'.");
        Check("reportType", request.ReportType, ReportFieldLimits.ReportTypeMaxLength, errors);
        Check("period", request.Period, ReportFieldLimits.PeriodLength, errors, value =>
            DateOnly.TryParseExact(value, ReportFieldLimits.PeriodFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null : "Use the form yyyy-MM, e.g. 2026-11.");
        Check("title", request.Title, ReportFieldLimits.TitleMaxLength, errors);
        Check("content", request.Content, ReportFieldLimits.ContentMaxLength, errors, allowEmpty: true);

        return errors;
    }

    private static void Check(string field, string? value, int maxLength, Dictionary<string, string[]> errors,
        Func<string, string?>? rule = null, bool allowEmpty = false)
    {
        var error = value switch
        {
            null => "Required.",
            "" when !allowEmpty => "Must not be empty.",
            _ when value.Length > maxLength => $"At most {maxLength} characters.",
            // Lone surrogates and NUL cannot be stored as PostgreSQL text; reject them here rather than fail later.
            _ when !IsStorableText(value) => "Contains invalid Unicode or control characters.",
            _ => rule?.Invoke(value),
        };

        if (error is not null)
        {
            errors[field] = [error];
        }
    }

    private static bool IsStorableText(string value) => !value.Contains('\0') && !HasLoneSurrogate(value);

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }
}
