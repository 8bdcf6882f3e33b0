using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chengxin.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AuditAndQueryLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "KeyId",
                table: "Subjects",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "AuditCheckpoints",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    Head = table.Column<byte[]>(type: "bytea", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Signature = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditCheckpoints", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "AuditEntries",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Actor = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SubjectId = table.Column<Guid>(type: "uuid", nullable: true),
                    Target = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Detail = table.Column<string>(type: "text", nullable: false),
                    Hash = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEntries", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "QueryRegistrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SubjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    Actor = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: true),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Basis = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Items = table.Column<string>(type: "text", nullable: false),
                    Records = table.Column<int>(type: "integer", nullable: false),
                    DisclosedFrom = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AuditSequence = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QueryRegistrations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "QueryReviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RegistrationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReviewerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Flagged = table.Column<bool>(type: "boolean", nullable: false),
                    Comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QueryReviews", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Subjects_KeyId",
                table: "Subjects",
                column: "KeyId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_At",
                table: "AuditEntries",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_SubjectId",
                table: "AuditEntries",
                column: "SubjectId");

            migrationBuilder.CreateIndex(
                name: "IX_QueryRegistrations_At",
                table: "QueryRegistrations",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_QueryRegistrations_AuditSequence",
                table: "QueryRegistrations",
                column: "AuditSequence");

            migrationBuilder.CreateIndex(
                name: "IX_QueryRegistrations_SubjectId_At",
                table: "QueryRegistrations",
                columns: new[] { "SubjectId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_QueryReviews_RegistrationId",
                table: "QueryReviews",
                column: "RegistrationId");

            // Audit rows are append-only whoever connects: updates, deletes and truncation are refused by the
            // database itself (query registrations may be deleted once past their ten-year retention).
            migrationBuilder.Sql("""
                CREATE FUNCTION chengxin_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'QueryRegistrations' THEN
                    IF OLD."At" < now() - interval '10 years' THEN
                      RETURN OLD;
                    END IF;
                  END IF;
                  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
                END $$;
                """);
            migrationBuilder.Sql("CREATE TRIGGER \"AuditEntries_append_only\" BEFORE UPDATE OR DELETE ON \"AuditEntries\" FOR EACH ROW EXECUTE FUNCTION chengxin_append_only();");
            migrationBuilder.Sql("CREATE TRIGGER \"AuditEntries_no_truncate\" BEFORE TRUNCATE ON \"AuditEntries\" FOR EACH STATEMENT EXECUTE FUNCTION chengxin_append_only();");
            migrationBuilder.Sql("CREATE TRIGGER \"AuditCheckpoints_append_only\" BEFORE UPDATE OR DELETE ON \"AuditCheckpoints\" FOR EACH ROW EXECUTE FUNCTION chengxin_append_only();");
            migrationBuilder.Sql("CREATE TRIGGER \"AuditCheckpoints_no_truncate\" BEFORE TRUNCATE ON \"AuditCheckpoints\" FOR EACH STATEMENT EXECUTE FUNCTION chengxin_append_only();");
            migrationBuilder.Sql("CREATE TRIGGER \"QueryRegistrations_append_only\" BEFORE UPDATE OR DELETE ON \"QueryRegistrations\" FOR EACH ROW EXECUTE FUNCTION chengxin_append_only();");
            migrationBuilder.Sql("CREATE TRIGGER \"QueryRegistrations_no_truncate\" BEFORE TRUNCATE ON \"QueryRegistrations\" FOR EACH STATEMENT EXECUTE FUNCTION chengxin_append_only();");
            migrationBuilder.Sql("CREATE TRIGGER \"QueryReviews_append_only\" BEFORE UPDATE OR DELETE ON \"QueryReviews\" FOR EACH ROW EXECUTE FUNCTION chengxin_append_only();");
            migrationBuilder.Sql("CREATE TRIGGER \"QueryReviews_no_truncate\" BEFORE TRUNCATE ON \"QueryReviews\" FOR EACH STATEMENT EXECUTE FUNCTION chengxin_append_only();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditCheckpoints");

            migrationBuilder.DropTable(
                name: "AuditEntries");

            migrationBuilder.DropTable(
                name: "QueryRegistrations");

            migrationBuilder.DropTable(
                name: "QueryReviews");

            migrationBuilder.DropIndex(
                name: "IX_Subjects_KeyId",
                table: "Subjects");

            migrationBuilder.DropColumn(
                name: "KeyId",
                table: "Subjects");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS chengxin_append_only();");
        }
    }
}
