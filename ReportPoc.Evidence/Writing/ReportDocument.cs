using System.Text;
using ScottPlot;

namespace ReportPoc.Evidence.Writing;

/// <summary>
/// One language's report as it is written: Markdown, and the charts it shows saved beside it in
/// <see cref="ChartsFolder"/>. Sections write every piece in both languages; the document keeps its own.
/// </summary>
public sealed class ReportDocument(Language language, string directory)
{
    public const string ChartsFolder = "poc-report";
    private const int ChartWidth = 900;
    private const int ChartHeight = 520;

    private readonly StringBuilder _markdown = new();

    public Language Language { get; } = language;

    public string FileName => $"poc-report{Language.Suffix()}.md";

    /// <summary>The same document in the other language.</summary>
    public string OtherFileName => $"poc-report{(Language == Language.Korean ? Language.English : Language.Korean).Suffix()}.md";

    public string Markdown => _markdown.ToString();

    public string T(Text text) => text.In(Language);

    public string T(string en, string ko) => Language == Language.Korean ? ko : en;

    public void Heading(int level, string en, string ko) => Block($"{new string('#', level)} {T(en, ko)}");

    public void Paragraph(string en, string ko) => Block(T(en, ko));

    public void Paragraph(Text text) => Block(T(text));

    /// <summary>A list of items, one line each.</summary>
    public void Bullets(IEnumerable<Text> items) => Block(string.Join('\n', items.Select(item => "- " + T(item))));

    public void Table(IReadOnlyList<Text> header, IEnumerable<IReadOnlyList<Text>> rows, string? alignment = null)
    {
        var lines = new List<string>
        {
            Row(header.Select(T)),
            alignment ?? Row(header.Select(_ => "---")),
        };
        lines.AddRange(rows.Select(row => Row(row.Select(T))));
        Block(string.Join('\n', lines));
    }

    /// <summary>A fenced block, the same in both languages unless given per language (a Mermaid diagram's labels).</summary>
    public void Fenced(string info, Text content) => Block($"```{info}\n{T(content).TrimEnd()}\n```");

    /// <summary>A picture the report links: its path relative to the report.</summary>
    public void Image(Text alt, string path) => Block($"![{T(alt)}]({Link(path)})");

    /// <summary>Draws a chart in this document's language, saves it beside the report and shows it.</summary>
    public string Chart(string name, Text alt, Func<Language, Plot> draw)
    {
        var path = Path.Combine(directory, ChartsFolder, $"{name}{Language.Suffix()}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var plot = draw(Language);
        plot.Font.Set(ChartStyle.FontFor(Language));
        plot.SavePng(path, ChartWidth, ChartHeight);
        Image(alt, path);
        return path;
    }

    /// <summary>A path as a link from the report's own directory.</summary>
    public string Link(string path) => Path.GetRelativePath(directory, path).Replace('\\', '/');

    public async Task<string> SaveAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        await File.WriteAllTextAsync(path, Markdown, cancellationToken);
        return path;
    }

    private void Block(string text) => _markdown.Append(text).Append("\n\n");

    private static string Row(IEnumerable<string> cells) => "| " + string.Join(" | ", cells.Select(cell => cell.Replace("|", "\\|"))) + " |";
}
