using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class StoredScores : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "agreement",
                table: "tasks",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "min_accuracy",
                table: "tasks",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "scoring_settings",
                table: "projects",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "accuracy",
                table: "predictions",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "breakdown",
                table: "predictions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "accuracy",
                table: "annotations",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "breakdown",
                table: "annotations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_agreement_id",
                table: "tasks",
                columns: new[] { "project_id", "agreement", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_min_accuracy_id",
                table: "tasks",
                columns: new[] { "project_id", "min_accuracy", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tasks_project_id_agreement_id",
                table: "tasks");

            migrationBuilder.DropIndex(
                name: "IX_tasks_project_id_min_accuracy_id",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "agreement",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "min_accuracy",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "scoring_settings",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "accuracy",
                table: "predictions");

            migrationBuilder.DropColumn(
                name: "breakdown",
                table: "predictions");

            migrationBuilder.DropColumn(
                name: "accuracy",
                table: "annotations");

            migrationBuilder.DropColumn(
                name: "breakdown",
                table: "annotations");
        }
    }
}
