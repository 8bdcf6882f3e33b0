using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chengxin.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class EvidenceKeptByTypeOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The evidence's name as the querier gave it may hold the person's name and number: keep its type only, as
            // registrations now do (EvidenceFiles.KeptName). The stored file is named by the authorisation, not by this.
            migrationBuilder.Sql("""
                UPDATE "Authorisations" SET "EvidenceFileName" = '书面授权书' || CASE
                    WHEN lower("EvidenceFileName") LIKE '%.pdf' THEN '.pdf'
                    WHEN lower("EvidenceFileName") LIKE '%.png' THEN '.png'
                    WHEN lower("EvidenceFileName") LIKE '%.jpeg' THEN '.jpeg'
                    ELSE '.jpg' END
                WHERE "EvidenceFileName" IS NOT NULL
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The names given are not kept anywhere to restore.
        }
    }
}
