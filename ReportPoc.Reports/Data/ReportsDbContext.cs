using Microsoft.EntityFrameworkCore;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Reports.Data;

public sealed class ReportsDbContext(DbContextOptions<ReportsDbContext> options) : DbContext(options)
{
    public DbSet<Report> Reports => Set<Report>();

    public DbSet<ProcessorInstance> ProcessorInstances => Set<ProcessorInstance>();

    public DbSet<AcceptedMessage> AcceptedMessages => Set<AcceptedMessage>();

    public DbSet<LostMessageRange> LostMessageRanges => Set<LostMessageRange>();

    public DbSet<ClientPathSetting> ClientPaths => Set<ClientPathSetting>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Report>(report =>
        {
            report.ToTable("reports");
            report.HasKey(r => r.Id);
            report.Property(r => r.Id).ValueGeneratedNever();
            report.Property(r => r.Version).IsRowVersion();
            report.Ignore(r => r.IsFinal);
            report.Property(r => r.Path).HasConversion<string>().HasMaxLength(8);
            report.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            report.Property(r => r.IdempotencyKey).HasMaxLength(ReportFieldLimits.IdempotencyKeyMaxLength);
            report.Property(r => r.Fingerprint).HasMaxLength(64);
            report.Property(r => r.ReporterId).HasMaxLength(ReportFieldLimits.ReporterIdMaxLength);
            report.Property(r => r.ReportType).HasMaxLength(ReportFieldLimits.ReportTypeMaxLength);
            report.Property(r => r.Period).HasMaxLength(ReportFieldLimits.PeriodLength);
            report.Property(r => r.Title).HasMaxLength(ReportFieldLimits.TitleMaxLength);
            report.Property(r => r.LpQueueId).HasMaxLength(64);
            report.Property(r => r.LpRunId).HasMaxLength(64);
            report.Property(r => r.TraceId).HasMaxLength(32);
            // The browser board lists the latest reports.
            report.HasIndex(r => r.UpdatedAt);
            // The page's throughput chart counts the reports completed in the last minutes.
            report.HasIndex(r => r.CompletedAt);
        });

        modelBuilder.Entity<ProcessorInstance>(instance =>
        {
            instance.ToTable("processor_instances");
            instance.HasKey(i => i.InstanceId);
            instance.Property(i => i.InstanceId).HasMaxLength(128);
            instance.Property(i => i.PausedFor).HasMaxLength(32);
        });

        modelBuilder.Entity<AcceptedMessage>(accepted =>
        {
            accepted.ToTable("accepted_messages");
            accepted.HasKey(a => a.ReportId);
            accepted.Property(a => a.ReportId).ValueGeneratedNever();
            // A lost range is looked up by partition and offset.
            accepted.HasIndex(a => new { a.Partition, a.Offset });
        });

        modelBuilder.Entity<LostMessageRange>(lost =>
        {
            lost.ToTable("lost_message_ranges");
            lost.HasKey(l => l.Id);
            lost.Property(l => l.Topic).HasMaxLength(255);
            lost.Property(l => l.InstanceId).HasMaxLength(128);
        });

        modelBuilder.Entity<ClientPathSetting>(setting =>
        {
            setting.ToTable("client_paths");
            setting.HasKey(s => s.ClientId);
            setting.Property(s => s.ClientId).HasMaxLength(ReportFieldLimits.ReporterIdMaxLength);
            setting.Property(s => s.Path).HasConversion<string>().HasMaxLength(8);
        });
    }
}
