using System.Globalization;

namespace ReportPoc.Evidence.Writing;

/// <summary>
/// Every figure of the report is formatted here, once for both languages, so the two files cannot disagree on a number
/// (Korean writes numbers as English does: digits, comma thousands, a dot for decimals).
/// </summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Milliseconds: two decimals below 10 ms, whole numbers with thousands separators above.</summary>
    public static string Ms(double value) => double.IsNaN(value) ? "–" : value < 10 ? value.ToString("F2", Invariant) : value.ToString("N0", Invariant);

    /// <summary>Requests or reports a second: one decimal below 100, whole numbers above.</summary>
    public static string Rate(double value) => double.IsNaN(value) ? "–" : value < 100 ? value.ToString("F1", Invariant) : value.ToString("N0", Invariant);

    public static string Count(long value) => value.ToString("N0", Invariant);

    public static string Percent(double ratio) => double.IsNaN(ratio) ? "–" : (ratio * 100).ToString("F0", Invariant) + "%";

    /// <summary>A ratio below one as "1/N": how many times smaller.</summary>
    public static string OneIn(double ratio) => ratio > 0 ? "1/" + (1 / ratio).ToString("N0", Invariant) : "–";

    public static string Times(double ratio) => double.IsNaN(ratio) ? "–" : ratio.ToString("F2", Invariant) + "×";

    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString(time.TotalSeconds < 10 ? "F1" : "N0", Invariant) + " s";

    public static string Seconds(double seconds) => Seconds(TimeSpan.FromSeconds(seconds));

    public static string Megabytes(double value) => double.IsNaN(value) ? "–" : value.ToString("N0", Invariant) + " MB";

    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", Invariant);

    public static string Number(double value, string format = "F1") => double.IsNaN(value) ? "–" : value.ToString(format, Invariant);
}
