using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Sqlite.Migrations
{
    /// <summary>Label Studio's export snapshots, built by a job into parts so that any node can serve the download.</summary>
    public partial class ExportSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "export_snapshots",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<long>(type: "INTEGER", nullable: false),
                    job_id = table.Column<long>(type: "INTEGER", nullable: true),
                    title = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    options = table.Column<string>(type: "TEXT", nullable: false),
                    created_by_user_id = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    finished_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    task_count = table.Column<int>(type: "INTEGER", nullable: false),
                    annotation_count = table.Column<int>(type: "INTEGER", nullable: false),
                    prediction_count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_export_snapshots", x => x.id);
                    table.CheckConstraint("ck_export_snapshots_status", "status IN ('created', 'in_progress', 'failed', 'completed')");
                    table.ForeignKey(
                        name: "FK_export_snapshots_jobs_job_id",
                        column: x => x.job_id,
                        principalTable: "jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_export_snapshots_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_export_snapshots_users_created_by_user_id",
                        column: x => x.created_by_user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "export_parts",
                columns: table => new
                {
                    snapshot_id = table.Column<long>(type: "INTEGER", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false),
                    content = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_export_parts", x => new { x.snapshot_id, x.position });
                    table.ForeignKey(
                        name: "FK_export_parts_export_snapshots_snapshot_id",
                        column: x => x.snapshot_id,
                        principalTable: "export_snapshots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_export_snapshots_created_by_user_id",
                table: "export_snapshots",
                column: "created_by_user_id");

            migrationBuilder.CreateIndex(
                name: "IX_export_snapshots_job_id",
                table: "export_snapshots",
                column: "job_id");

            migrationBuilder.CreateIndex(
                name: "IX_export_snapshots_project_id_id",
                table: "export_snapshots",
                columns: new[] { "project_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "export_parts");

            migrationBuilder.DropTable(
                name: "export_snapshots");
        }
    }
}
