using ReportPoc.Reports.Data;
using ReportPoc.Reports.Submissions;

namespace ReportPoc.Api.Submissions;

/// <summary>
/// A report's status URL, /api/reports/{id}?token=…, with a token from <see cref="StatusTokens"/>: every endpoint that
/// answers one takes it from here. The signer stays free of routing, so its rules are tested without a host.
/// </summary>
public sealed class StatusUrls(StatusTokens tokens, LinkGenerator links)
{
    /// <summary>The route name of the status read, which the URL is generated from.</summary>
    public const string StatusRead = "GetReport";

    public string For(Report report) =>
        For(report.Id, report.AcceptedAt, report.Fingerprint ?? ReportIdentity.FingerprintOf(report.AsRequest()));

    /// <param name="confirmed">False when the broker did not confirm the submission: the URL then answers 404 until a row exists.</param>
    public string For(Guid id, DateTimeOffset acceptedAt, string fingerprint, bool confirmed = true) =>
        links.GetPathByName(StatusRead, new { id, token = tokens.Issue(id, acceptedAt, fingerprint, confirmed) })!;
}
