using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chengxin.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ActorIndexesForScrapingGuard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_QueryRegistrations_At",
                table: "QueryRegistrations");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_At",
                table: "AuditEntries");

            migrationBuilder.CreateIndex(
                name: "IX_QueryRegistrations_Actor_At",
                table: "QueryRegistrations",
                columns: new[] { "Actor", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_QueryRegistrations_At",
                table: "QueryRegistrations",
                column: "At")
                .Annotation("Npgsql:IndexMethod", "brin");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Actor_At",
                table: "AuditEntries",
                columns: new[] { "Actor", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_QueryRegistrations_Actor_At",
                table: "QueryRegistrations");

            migrationBuilder.DropIndex(
                name: "IX_QueryRegistrations_At",
                table: "QueryRegistrations");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Actor_At",
                table: "AuditEntries");

            migrationBuilder.CreateIndex(
                name: "IX_QueryRegistrations_At",
                table: "QueryRegistrations",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_At",
                table: "AuditEntries",
                column: "At");
        }
    }
}
