using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReportPoc.Reports.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClientPaths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "client_paths",
                columns: table => new
                {
                    ClientId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Path = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_client_paths", x => x.ClientId);
                });

            // Every Api instance keeps the settings in memory and hears each change through this (ReportChangeNotifications).
            migrationBuilder.Sql($"""
                CREATE FUNCTION notify_client_path_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('{ReportChangeNotifications.ClientPathChannel}', CASE WHEN TG_OP = 'DELETE' THEN OLD."ClientId" ELSE NEW."ClientId" END);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER client_path_changed AFTER INSERT OR UPDATE OR DELETE ON client_paths
                    FOR EACH ROW EXECUTE FUNCTION notify_client_path_changed();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION notify_client_path_changed() CASCADE;");
            migrationBuilder.DropTable(
                name: "client_paths");
        }
    }
}
