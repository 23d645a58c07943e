namespace ReportPoc.Evidence.Writing;

/// <summary>The languages the report is written in. Each has a file of its own; Korean is the Korean file's first language, not a translation.</summary>
public enum Language
{
    English,
    Korean,
}

/// <summary>One piece of the report in both languages, built from the same figures.</summary>
public readonly record struct Text(string En, string Ko)
{
    public string In(Language language) => language == Language.Korean ? Ko : En;

    /// <summary>Figures, names and code: the same in both files.</summary>
    public static Text Same(string both) => new(both, both);
}

public static class LanguageFiles
{
    /// <summary>The benchmark's charts, drawn in this language (each chart is drawn in one place: ReportPoc.Benchmark's Charts).</summary>
    public static ReportPoc.Benchmark.Results.ChartLanguage ForCharts(this Language language) =>
        language == Language.Korean ? ReportPoc.Benchmark.Results.ChartLanguage.Korean : ReportPoc.Benchmark.Results.ChartLanguage.English;

    /// <summary>What a file's name carries before its extension: <c>poc-report.ko.md</c>, <c>response-time.ko.png</c>.</summary>
    public static string Suffix(this Language language) => language == Language.Korean ? ".ko" : "";
}
