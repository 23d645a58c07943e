using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReportPoc.Reports.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProcessingGuarantees : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DeadLetteredAt",
                table: "reports",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Fingerprint",
                table: "reports",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "LpRunClaimId",
                table: "reports",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RejectedAttempts",
                table: "reports",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "reports",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.CreateTable(
                name: "processor_instances",
                columns: table => new
                {
                    InstanceId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Partitions = table.Column<int[]>(type: "integer[]", nullable: false),
                    InFlight = table.Column<int>(type: "integer", nullable: false),
                    Completed = table.Column<long>(type: "bigint", nullable: false),
                    PausedFor = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    PausedSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PauseReason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_processor_instances", x => x.InstanceId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_reports_CompletedAt",
                table: "reports",
                column: "CompletedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "processor_instances");

            migrationBuilder.DropIndex(
                name: "IX_reports_CompletedAt",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "DeadLetteredAt",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "Fingerprint",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "LpRunClaimId",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "RejectedAttempts",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "reports");
        }
    }
}
