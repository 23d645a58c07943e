using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReportPoc.Reports.Data.Migrations
{
    /// <summary>The trigger behind <see cref="ReportChangeNotifications"/>; the model itself is unchanged.</summary>
    [DbContext(typeof(ReportsDbContext))]
    [Migration("20261203154000_ReportChangeTrigger")]
    public partial class ReportChangeTrigger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                CREATE FUNCTION notify_report_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('{ReportChangeNotifications.Channel}', NEW."Id"::text);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER report_changed AFTER INSERT OR UPDATE ON reports
                    FOR EACH ROW EXECUTE FUNCTION notify_report_changed();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER report_changed ON reports;
                DROP FUNCTION notify_report_changed();
                """);
        }
    }
}
