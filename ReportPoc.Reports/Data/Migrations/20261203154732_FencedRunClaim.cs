using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReportPoc.Reports.Data.Migrations
{
    /// <inheritdoc />
    public partial class FencedRunClaim : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LpRunClaimSequence",
                table: "reports",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LpRunClaimSequence",
                table: "reports");
        }
    }
}
