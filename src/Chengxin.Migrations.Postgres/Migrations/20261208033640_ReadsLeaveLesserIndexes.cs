using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chengxin.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ReadsLeaveLesserIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Reports_SubjectId",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Actor_At",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_SubjectId",
                table: "AuditEntries");

            migrationBuilder.CreateIndex(
                name: "IX_Reports_SubjectId_IssuedAt",
                table: "Reports",
                columns: new[] { "SubjectId", "IssuedAt" },
                filter: "\"Kind\" = 'self'");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Actor_At",
                table: "AuditEntries",
                columns: new[] { "Actor", "At" },
                filter: "\"Action\" = 'query.miss'");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_SubjectId",
                table: "AuditEntries",
                column: "SubjectId",
                filter: "\"SubjectId\" IS NOT NULL AND \"Action\" <> 'query'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Reports_SubjectId_IssuedAt",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Actor_At",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_SubjectId",
                table: "AuditEntries");

            migrationBuilder.CreateIndex(
                name: "IX_Reports_SubjectId",
                table: "Reports",
                column: "SubjectId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Actor_At",
                table: "AuditEntries",
                columns: new[] { "Actor", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_SubjectId",
                table: "AuditEntries",
                column: "SubjectId");
        }
    }
}
