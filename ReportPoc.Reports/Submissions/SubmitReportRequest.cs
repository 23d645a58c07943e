using System.Globalization;

namespace ReportPoc.Reports.Submissions;

/// <summary>The body of both POST endpoints. Properties are nullable so that a missing field is reported, not defaulted.</summary>
public sealed record SubmitReportRequest(string? ReporterId, string? ReportType, string? Period, string? Title, string? Content)
{
    public const int MaxContentChars = 64 * 1024;

    /// <summary>Field errors keyed by the camelCase field name, the shape ValidationProblem expects.</summary>
    public static Dictionary<string, string[]> Validate(SubmitReportRequest request)
    {
        var errors = new Dictionary<string, string[]>();

        Check("reporterId", request.ReporterId, 64, errors, value =>
            value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? null : "Use only letters, digits, '-' and '_'.");
        Check("reportType", request.ReportType, 32, errors);
        Check("period", request.Period, 7, errors, value =>
            DateOnly.TryParseExact(value, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null : "Use the form yyyy-MM, e.g. 2026-11.");
        Check("title", request.Title, 200, errors);
        Check("content", request.Content, MaxContentChars, errors, allowEmpty: true);

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
