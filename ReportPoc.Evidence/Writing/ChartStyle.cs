using ScottPlot;
using ScottPlot.TickGenerators;

namespace ReportPoc.Evidence.Writing;

/// <summary>What the report's charts share: the paths' colours and a log scale.</summary>
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
}
