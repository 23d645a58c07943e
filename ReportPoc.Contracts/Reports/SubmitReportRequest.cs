using System.Globalization;
using System.Text;

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

        Check("reporterId", request.ReporterId, ReportFieldLimits.ReporterIdMaxLength, TextKind.Line, errors, value =>
            value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? null : "Use only letters, digits, '-' and '_'.");
        Check("reportType", request.ReportType, ReportFieldLimits.ReportTypeMaxLength, TextKind.Line, errors);
        Check("period", request.Period, ReportFieldLimits.PeriodLength, TextKind.Line, errors, value =>
            DateOnly.TryParseExact(value, ReportFieldLimits.PeriodFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null : "Use the form yyyy-MM, e.g. 2026-11.");
        Check("title", request.Title, ReportFieldLimits.TitleMaxLength, TextKind.Line, errors);
        Check("content", request.Content, ReportFieldLimits.ContentMaxLength, TextKind.Text, errors, allowEmpty: true);

        return errors;
    }

    /// <summary>A single line (every field but content) or a text (content: several lines, any script, emoji sequences).</summary>
    private enum TextKind { Line, Text }

    private static void Check(string field, string? value, int maxLength, TextKind kind, Dictionary<string, string[]> errors,
        Func<string, string?>? rule = null, bool allowEmpty = false)
    {
        var error = value switch
        {
            null => "Required.",
            "" when !allowEmpty => "Must not be empty.",
            _ when value.Length > maxLength => $"At most {maxLength} characters.",
            // Lone surrogates and NUL cannot be stored as PostgreSQL text; control and format characters can hide or
            // reorder what a reader sees (U+202E shows "exe.txt" as "txt.exe"), so they are refused where no text needs them.
            _ when HasLoneSurrogate(value) || HasHiddenCharacter(value, kind) => kind == TextKind.Line
                ? "No control or format characters (such as line breaks, U+202E or zero-width characters) and no lone surrogates."
                : "No control characters other than tab and line breaks, no bidirectional controls (such as U+202E) and no lone surrogates.",
            _ => rule?.Invoke(value),
        };

        if (error is not null)
        {
            errors[field] = [error];
        }
    }

    /// <summary>
    /// A line may hold no control (Cc) or format (Cf) character. A text may hold tab, CR and LF, and format characters
    /// other than the bidirectional controls: zero-width joiners build emoji sequences and are needed by several scripts.
    /// </summary>
    private static bool HasHiddenCharacter(string value, TextKind kind)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            var hidden = Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.Control => kind == TextKind.Line || rune.Value is not ('\t' or '\n' or '\r'),
                UnicodeCategory.Format => kind == TextKind.Line || IsBidirectionalControl(rune.Value),
                _ => false,
            };
            if (hidden)
            {
                return true;
            }
        }

        return false;
    }

    // ALM, LRM, RLM, the embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069.
    private static bool IsBidirectionalControl(int codePoint) =>
        codePoint is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);

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
