using Microsoft.EntityFrameworkCore;

namespace ReportPoc.Reports.Data;

public sealed class ReportsDbContext(DbContextOptions<ReportsDbContext> options) : DbContext(options)
{
    public DbSet<Report> Reports => Set<Report>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Report>(report =>
        {
            report.ToTable("reports");
            report.HasKey(r => r.Id);
            report.Property(r => r.Id).ValueGeneratedNever();
            report.Property(r => r.Path).HasConversion<string>().HasMaxLength(8);
            report.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            report.Property(r => r.IdempotencyKey).HasMaxLength(128);
            report.Property(r => r.ReporterId).HasMaxLength(64);
            report.Property(r => r.ReportType).HasMaxLength(32);
            report.Property(r => r.Period).HasMaxLength(7);
            report.Property(r => r.Title).HasMaxLength(200);
            report.Property(r => r.LpQueueId).HasMaxLength(64);
            report.Property(r => r.LpRunId).HasMaxLength(64);
            report.Property(r => r.TraceId).HasMaxLength(32);
            // The browser board lists the latest reports.
            report.HasIndex(r => r.UpdatedAt);
        });
    }
}
