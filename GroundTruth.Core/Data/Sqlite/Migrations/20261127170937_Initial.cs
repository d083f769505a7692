using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "members",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    email = table.Column<string>(type: "TEXT", nullable: false),
                    display_name = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_members", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "projects",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_projects", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tasks",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<long>(type: "INTEGER", nullable: false),
                    external_id = table.Column<long>(type: "INTEGER", nullable: true),
                    inner_id = table.Column<long>(type: "INTEGER", nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    meta = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    total_annotations = table.Column<int>(type: "INTEGER", nullable: false),
                    cancelled_annotations = table.Column<int>(type: "INTEGER", nullable: false),
                    total_predictions = table.Column<int>(type: "INTEGER", nullable: false),
                    has_ground_truth = table.Column<bool>(type: "INTEGER", nullable: false),
                    ground_truth_annotation_id = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tasks", x => x.id);
                    table.ForeignKey(
                        name: "FK_tasks_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "annotations",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    task_id = table.Column<long>(type: "INTEGER", nullable: false),
                    member_id = table.Column<long>(type: "INTEGER", nullable: false),
                    external_id = table.Column<long>(type: "INTEGER", nullable: true),
                    result = table.Column<string>(type: "TEXT", nullable: false),
                    was_cancelled = table.Column<bool>(type: "INTEGER", nullable: false),
                    ground_truth = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    lead_time = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_annotations", x => x.id);
                    table.CheckConstraint("ck_annotations_cancelled_not_ground_truth", "NOT (ground_truth AND was_cancelled)");
                    table.ForeignKey(
                        name: "FK_annotations_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_annotations_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ground_truth_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    task_id = table.Column<long>(type: "INTEGER", nullable: false),
                    annotation_id = table.Column<long>(type: "INTEGER", nullable: false),
                    previous_annotation_id = table.Column<long>(type: "INTEGER", nullable: true),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    changed_by = table.Column<string>(type: "TEXT", nullable: true),
                    changed_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ground_truth_changes", x => x.id);
                    table.ForeignKey(
                        name: "FK_ground_truth_changes_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "predictions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    task_id = table.Column<long>(type: "INTEGER", nullable: false),
                    external_id = table.Column<long>(type: "INTEGER", nullable: true),
                    model_version = table.Column<string>(type: "TEXT", nullable: false),
                    score = table.Column<double>(type: "REAL", nullable: true),
                    result = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_predictions", x => x.id);
                    table.ForeignKey(
                        name: "FK_predictions_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_annotations_member_id_task_id",
                table: "annotations",
                columns: new[] { "member_id", "task_id" });

            migrationBuilder.CreateIndex(
                name: "IX_annotations_task_id_member_id_was_cancelled_updated_at",
                table: "annotations",
                columns: new[] { "task_id", "member_id", "was_cancelled", "updated_at" });

            migrationBuilder.CreateIndex(
                name: "ux_annotations_one_ground_truth_per_task",
                table: "annotations",
                column: "task_id",
                unique: true,
                filter: "ground_truth = 1");

            migrationBuilder.CreateIndex(
                name: "IX_ground_truth_changes_task_id_id",
                table: "ground_truth_changes",
                columns: new[] { "task_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_members_email",
                table: "members",
                column: "email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_predictions_task_id_model_version",
                table: "predictions",
                columns: new[] { "task_id", "model_version" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_cancelled_annotations_id",
                table: "tasks",
                columns: new[] { "project_id", "cancelled_annotations", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_created_at_id",
                table: "tasks",
                columns: new[] { "project_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_external_id",
                table: "tasks",
                columns: new[] { "project_id", "external_id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_has_ground_truth_id",
                table: "tasks",
                columns: new[] { "project_id", "has_ground_truth", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_inner_id",
                table: "tasks",
                columns: new[] { "project_id", "inner_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_total_annotations_id",
                table: "tasks",
                columns: new[] { "project_id", "total_annotations", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_total_predictions_id",
                table: "tasks",
                columns: new[] { "project_id", "total_predictions", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_updated_at_id",
                table: "tasks",
                columns: new[] { "project_id", "updated_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "annotations");

            migrationBuilder.DropTable(
                name: "ground_truth_changes");

            migrationBuilder.DropTable(
                name: "predictions");

            migrationBuilder.DropTable(
                name: "members");

            migrationBuilder.DropTable(
                name: "tasks");

            migrationBuilder.DropTable(
                name: "projects");
        }
    }
}
