using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chengxin.Migrations.Sqlite.Migrations
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
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "AuditCheckpoints",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Head = table.Column<byte[]>(type: "BLOB", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditCheckpoints", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "AuditEntries",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Target = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", nullable: false),
                    Hash = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEntries", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "QueryRegistrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Basis = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Items = table.Column<string>(type: "TEXT", nullable: false),
                    Records = table.Column<int>(type: "INTEGER", nullable: false),
                    DisclosedFrom = table.Column<long>(type: "INTEGER", nullable: true),
                    AuditSequence = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QueryRegistrations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "QueryReviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RegistrationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReviewerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Flagged = table.Column<bool>(type: "INTEGER", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
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

            // Audit rows are append-only: the database itself refuses updates and deletes (query registrations
            // may be deleted once past their ten-year retention; At is stored as DateTimeOffsetToBinary: 100-microsecond units << 11).
            migrationBuilder.Sql("CREATE TRIGGER \"AuditEntries_no_update\" BEFORE UPDATE ON \"AuditEntries\" BEGIN SELECT RAISE(ABORT, 'AuditEntries is append-only: UPDATE refused'); END;");
            migrationBuilder.Sql("CREATE TRIGGER \"AuditEntries_no_delete\" BEFORE DELETE ON \"AuditEntries\" BEGIN SELECT RAISE(ABORT, 'AuditEntries is append-only: DELETE refused'); END;");
            migrationBuilder.Sql("CREATE TRIGGER \"AuditCheckpoints_no_update\" BEFORE UPDATE ON \"AuditCheckpoints\" BEGIN SELECT RAISE(ABORT, 'AuditCheckpoints is append-only: UPDATE refused'); END;");
            migrationBuilder.Sql("CREATE TRIGGER \"AuditCheckpoints_no_delete\" BEFORE DELETE ON \"AuditCheckpoints\" BEGIN SELECT RAISE(ABORT, 'AuditCheckpoints is append-only: DELETE refused'); END;");
            migrationBuilder.Sql("CREATE TRIGGER \"QueryRegistrations_no_update\" BEFORE UPDATE ON \"QueryRegistrations\" BEGIN SELECT RAISE(ABORT, 'QueryRegistrations is append-only: UPDATE refused'); END;");
            migrationBuilder.Sql("CREATE TRIGGER \"QueryRegistrations_no_delete\" BEFORE DELETE ON \"QueryRegistrations\" WHEN OLD.\"At\" >= CAST((julianday('now', '-10 years') - 1721425.5) * 864000000 AS INTEGER) * 2048 BEGIN SELECT RAISE(ABORT, 'QueryRegistrations is append-only: DELETE refused'); END;");
            migrationBuilder.Sql("CREATE TRIGGER \"QueryReviews_no_update\" BEFORE UPDATE ON \"QueryReviews\" BEGIN SELECT RAISE(ABORT, 'QueryReviews is append-only: UPDATE refused'); END;");
            migrationBuilder.Sql("CREATE TRIGGER \"QueryReviews_no_delete\" BEFORE DELETE ON \"QueryReviews\" BEGIN SELECT RAISE(ABORT, 'QueryReviews is append-only: DELETE refused'); END;");
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
        }
    }
}
