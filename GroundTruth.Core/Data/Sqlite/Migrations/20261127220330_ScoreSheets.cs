using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Sqlite.Migrations
{
    /// <summary>
    /// Scores move to one score sheet per task (every annotation against every other and every prediction), so that a
    /// ground-truth change reads accuracies instead of recomputing them; the annotation's wide columns move beside it
    /// (annotation_results) so that flipping the flag rewrites narrow rows. Written by hand: SQLite's own DROP COLUMN
    /// keeps the table, its AUTOINCREMENT and its triggers, where EF's table rebuild would drop the triggers. Existing
    /// tasks get their sheets from <see cref="DatabaseInitializer"/> on the next start.
    /// </summary>
    public partial class ScoreSheets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "annotation_results",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false),
                    result = table.Column<string>(type: "TEXT", nullable: false),
                    extra = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_annotation_results", x => x.id);
                    table.ForeignKey(
                        name: "FK_annotation_results_annotations_id",
                        column: x => x.id,
                        principalTable: "annotations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "score_sheets",
                columns: table => new
                {
                    task_id = table.Column<long>(type: "INTEGER", nullable: false),
                    scores = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_score_sheets", x => x.task_id);
                    table.ForeignKey(
                        name: "FK_score_sheets_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.Sql("INSERT INTO annotation_results (id, result, extra) SELECT id, result, extra FROM annotations;");
            foreach (var column in new[] { "result", "extra", "accuracy", "breakdown" })
            {
                migrationBuilder.Sql($"ALTER TABLE annotations DROP COLUMN {column};");
            }
            foreach (var column in new[] { "accuracy", "breakdown" })
            {
                migrationBuilder.Sql($"ALTER TABLE predictions DROP COLUMN {column};");
            }

            // The lowest accuracy follows the flag: read off the sheet row of the new ground truth, gone with the old one.
            migrationBuilder.Sql("DROP TRIGGER annotations_after_update;");
            migrationBuilder.Sql($"""
                CREATE TRIGGER annotations_after_update AFTER UPDATE OF was_cancelled, ground_truth ON annotations BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations - (NOT OLD.was_cancelled) + (NOT NEW.was_cancelled),
                    cancelled_annotations = cancelled_annotations - OLD.was_cancelled + NEW.was_cancelled,
                    has_ground_truth = CASE WHEN NEW.ground_truth THEN 1 WHEN OLD.ground_truth THEN 0 ELSE has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN NEW.ground_truth THEN NEW.id WHEN OLD.ground_truth THEN NULL ELSE ground_truth_annotation_id END,
                    min_accuracy = CASE
                      WHEN NEW.ground_truth THEN (SELECT {Sqlite.SqliteDialect.Instance.JsonNumber("s.scores", Scoring.ScoreSheet.MinKey, "NEW.id")} FROM score_sheets s WHERE s.task_id = NEW.task_id)
                      WHEN OLD.ground_truth THEN NULL
                      ELSE min_accuracy END
                  WHERE id = NEW.task_id;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER annotations_after_update;");
            migrationBuilder.Sql("""
                CREATE TRIGGER annotations_after_update AFTER UPDATE OF was_cancelled, ground_truth ON annotations BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations - (NOT OLD.was_cancelled) + (NOT NEW.was_cancelled),
                    cancelled_annotations = cancelled_annotations - OLD.was_cancelled + NEW.was_cancelled,
                    has_ground_truth = CASE WHEN NEW.ground_truth THEN 1 WHEN OLD.ground_truth THEN 0 ELSE has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN NEW.ground_truth THEN NEW.id WHEN OLD.ground_truth THEN NULL ELSE ground_truth_annotation_id END
                  WHERE id = NEW.task_id;
                END;
                """);
            migrationBuilder.Sql("ALTER TABLE predictions ADD COLUMN accuracy REAL NULL;");
            migrationBuilder.Sql("ALTER TABLE predictions ADD COLUMN breakdown TEXT NULL;");
            migrationBuilder.Sql("ALTER TABLE annotations ADD COLUMN extra TEXT NULL;");
            migrationBuilder.Sql("ALTER TABLE annotations ADD COLUMN accuracy REAL NULL;");
            migrationBuilder.Sql("ALTER TABLE annotations ADD COLUMN breakdown TEXT NULL;");
            migrationBuilder.Sql("ALTER TABLE annotations ADD COLUMN result TEXT NOT NULL DEFAULT '[]';");
            migrationBuilder.Sql("UPDATE annotations SET result = r.result, extra = r.extra FROM annotation_results r WHERE r.id = annotations.id;");
            migrationBuilder.DropTable(name: "annotation_results");
            migrationBuilder.DropTable(name: "score_sheets");
        }
    }
}
