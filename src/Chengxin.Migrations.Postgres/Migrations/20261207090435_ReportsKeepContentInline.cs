using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chengxin.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ReportsKeepContentInline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "Reports")
                .Annotation("Npgsql:StorageParameter:toast_tuple_target", 8160);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "Reports")
                .OldAnnotation("Npgsql:StorageParameter:toast_tuple_target", 8160);
        }
    }
}
