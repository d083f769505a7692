using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ExtraFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "extra",
                table: "tasks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "extra",
                table: "predictions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "extra",
                table: "annotations",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "extra",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "extra",
                table: "predictions");

            migrationBuilder.DropColumn(
                name: "extra",
                table: "annotations");
        }
    }
}
