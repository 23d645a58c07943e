using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ReportPoc.Reports.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting a service; it never connects.</summary>
internal sealed class DesignTimeReportsDbContextFactory : IDesignTimeDbContextFactory<ReportsDbContext>
{
    public ReportsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ReportsDbContext>().UseNpgsql("Host=localhost;Database=reports").Options);
}
