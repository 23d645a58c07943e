using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ReportPoc.Reports.Data;

/// <summary>
/// Lets `dotnet dnx dotnet-ef@10.0.14 --yes -- migrations add …` build the model without starting a service; it never
/// connects (docs/design.md §7).
/// </summary>
internal sealed class DesignTimeReportsDbContextFactory : IDesignTimeDbContextFactory<ReportsDbContext>
{
    public ReportsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ReportsDbContext>().UseNpgsql("Host=localhost;Database=reports").Options);
}
