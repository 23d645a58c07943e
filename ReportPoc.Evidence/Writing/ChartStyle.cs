using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace ReportPoc.Evidence.Writing;

/// <summary>What the report's charts share: the paths' colours, a log scale and a font for each language.</summary>
public static class ChartStyle
{
    public static readonly Color Sync = Colors.FireBrick;
    public static readonly Color Async = Colors.SteelBlue;
    public static readonly Color Baseline = Colors.Gray;
    public static readonly Color LpBound = Colors.DarkOrange;
    public static readonly Color Processors = Colors.SeaGreen;

    /// <summary>ScottPlot draws a log scale as log10 of the data with ticks labelled back in linear values.</summary>
    public static void LogAxis(IAxis axis, string label)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = value => Math.Pow(10, value) is var linear && linear >= 1 ? linear.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : linear.ToString("G2", System.Globalization.CultureInfo.InvariantCulture),
        };
        axis.Label.Text = label;
    }

    /// <summary>
    /// The font a chart in <paramref name="language"/> is drawn with: ScottPlot's default for English; for Korean the first
    /// installed family that has Hangul (ScottPlot's own detection finds none on Linux, where Skia does not match by
    /// character, and Hangul would be drawn as boxes).
    /// </summary>
    public static string FontFor(Language language)
    {
        if (language != Language.Korean)
        {
            return Fonts.Default;
        }

        var fonts = SKFontManager.Default;
        return fonts.FontFamilies.Order(StringComparer.Ordinal).FirstOrDefault(family =>
            {
                using var typeface = fonts.MatchFamily(family);
                return typeface is not null && typeface.ContainsGlyphs(HangulSample);
            })
            ?? throw new InvalidOperationException("No installed font has Hangul, so the Korean charts would show boxes: install one (Debian: apt-get install fonts-nanum).");
    }

    private const string HangulSample = "보고서 처리량 지연 시간";
}
