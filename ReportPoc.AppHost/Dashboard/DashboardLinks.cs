namespace ReportPoc.AppHost.Dashboard;

/// <summary>Links on the dashboard's resources to what a person wants to open next.</summary>
public static class DashboardLinks
{
    public static IResourceBuilder<ProjectResource> WithPageLinks(this IResourceBuilder<ProjectResource> api)
    {
        var http = api.GetEndpoint("http");
        return api
            .WithUrlForEndpoint("http", url => url.DisplayText = "Report page (sync vs async)")
            .WithUrl($"{http}/scalar", "API reference (Scalar)");
    }

    public static IResourceBuilder<ProjectResource> WithStatsLink(this IResourceBuilder<ProjectResource> lp) =>
        lp.WithUrlForEndpoint("http", url =>
        {
            url.Url += "/lp/stats";
            url.DisplayText = "LP stats (in flight, calls, duplicates)";
        });
}
