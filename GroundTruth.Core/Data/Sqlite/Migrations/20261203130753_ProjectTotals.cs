using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ProjectTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "project_totals",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<long>(type: "INTEGER", nullable: false),
                    tasks = table.Column<long>(type: "INTEGER", nullable: false),
                    ground_truths = table.Column<long>(type: "INTEGER", nullable: false),
                    annotated_tasks = table.Column<long>(type: "INTEGER", nullable: false),
                    annotations = table.Column<long>(type: "INTEGER", nullable: false),
                    cancelled_annotations = table.Column<long>(type: "INTEGER", nullable: false),
                    predictions = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_project_totals", x => x.id);
                    table.ForeignKey(
                        name: "FK_project_totals_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_project_totals_project_id",
                table: "project_totals",
                column: "project_id");

            // Every project starts with a row of its totals as they are now.
            migrationBuilder.Sql("""
                INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                SELECT p.id, COUNT(t.id), COUNT(t.id) FILTER (WHERE t.has_ground_truth), COUNT(t.id) FILTER (WHERE t.total_annotations > 0),
                  COALESCE(SUM(t.total_annotations), 0), COALESCE(SUM(t.cancelled_annotations), 0), COALESCE(SUM(t.total_predictions), 0)
                FROM projects p LEFT JOIN tasks t ON t.project_id = p.id GROUP BY p.id;
                """);

            // SQLite writes one transaction at a time, so a project keeps one row, updated by each task's change. An update
            // trigger fires only for the counted columns, and only when one of them changed (rescoring changes none).
            migrationBuilder.Sql("""
                CREATE TRIGGER projects_after_insert AFTER INSERT ON projects BEGIN
                  INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                    VALUES (NEW.id, 0, 0, 0, 0, 0, 0);
                END;
                CREATE TRIGGER tasks_totals_after_insert AFTER INSERT ON tasks BEGIN
                  UPDATE project_totals SET tasks = tasks + 1, ground_truths = ground_truths + NEW.has_ground_truth,
                    annotated_tasks = annotated_tasks + (NEW.total_annotations > 0), annotations = annotations + NEW.total_annotations,
                    cancelled_annotations = cancelled_annotations + NEW.cancelled_annotations, predictions = predictions + NEW.total_predictions
                  WHERE project_id = NEW.project_id;
                END;
                CREATE TRIGGER tasks_totals_after_delete AFTER DELETE ON tasks BEGIN
                  UPDATE project_totals SET tasks = tasks - 1, ground_truths = ground_truths - OLD.has_ground_truth,
                    annotated_tasks = annotated_tasks - (OLD.total_annotations > 0), annotations = annotations - OLD.total_annotations,
                    cancelled_annotations = cancelled_annotations - OLD.cancelled_annotations, predictions = predictions - OLD.total_predictions
                  WHERE project_id = OLD.project_id;
                END;
                CREATE TRIGGER tasks_totals_after_update AFTER UPDATE OF project_id, has_ground_truth, total_annotations, cancelled_annotations, total_predictions ON tasks
                WHEN OLD.project_id <> NEW.project_id OR OLD.has_ground_truth <> NEW.has_ground_truth OR OLD.total_annotations <> NEW.total_annotations
                  OR OLD.cancelled_annotations <> NEW.cancelled_annotations OR OLD.total_predictions <> NEW.total_predictions
                BEGIN
                  UPDATE project_totals SET tasks = tasks - 1, ground_truths = ground_truths - OLD.has_ground_truth,
                    annotated_tasks = annotated_tasks - (OLD.total_annotations > 0), annotations = annotations - OLD.total_annotations,
                    cancelled_annotations = cancelled_annotations - OLD.cancelled_annotations, predictions = predictions - OLD.total_predictions
                  WHERE project_id = OLD.project_id;
                  UPDATE project_totals SET tasks = tasks + 1, ground_truths = ground_truths + NEW.has_ground_truth,
                    annotated_tasks = annotated_tasks + (NEW.total_annotations > 0), annotations = annotations + NEW.total_annotations,
                    cancelled_annotations = cancelled_annotations + NEW.cancelled_annotations, predictions = predictions + NEW.total_predictions
                  WHERE project_id = NEW.project_id;
                END;
                """);

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER projects_after_insert;
                DROP TRIGGER tasks_totals_after_insert;
                DROP TRIGGER tasks_totals_after_delete;
                DROP TRIGGER tasks_totals_after_update;
                """);

            migrationBuilder.DropTable(
                name: "project_totals");
        }
    }
}
