using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TasksByProjectAndId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_id",
                table: "tasks",
                columns: new[] { "project_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tasks_project_id_id",
                table: "tasks");
        }
    }
}
