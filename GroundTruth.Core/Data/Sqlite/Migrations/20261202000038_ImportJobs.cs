using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ImportJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_jobs_state",
                table: "jobs");

            migrationBuilder.AddColumn<long>(
                name: "import_for_project_id",
                table: "projects",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "import_rows",
                columns: table => new
                {
                    job_id = table.Column<long>(type: "INTEGER", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false),
                    task = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_import_rows", x => new { x.job_id, x.position });
                    table.ForeignKey(
                        name: "FK_import_rows_jobs_job_id",
                        column: x => x.job_id,
                        principalTable: "jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_projects_import_for_project_id",
                table: "projects",
                column: "import_for_project_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_jobs_state",
                table: "jobs",
                sql: "state IN ('Staging', 'Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled')");

            migrationBuilder.AddForeignKey(
                name: "FK_projects_projects_import_for_project_id",
                table: "projects",
                column: "import_for_project_id",
                principalTable: "projects",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_projects_projects_import_for_project_id",
                table: "projects");

            migrationBuilder.DropTable(
                name: "import_rows");

            migrationBuilder.DropIndex(
                name: "IX_projects_import_for_project_id",
                table: "projects");

            migrationBuilder.DropCheckConstraint(
                name: "ck_jobs_state",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "import_for_project_id",
                table: "projects");

            migrationBuilder.AddCheckConstraint(
                name: "ck_jobs_state",
                table: "jobs",
                sql: "state IN ('Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled')");
        }
    }
}
