using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chengxin.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RegistrationsKeepLongBases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
