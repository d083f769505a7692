using GroundTruth.Core.Scoring;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ComparisonsApart : Migration
    {
        // A ground-truth change rewrites the task's score sheet row; with the comparisons' JSON on it that row was some
        // 1.4 KB, now it is the narrow columns alone. The comparisons get a table of their own, written only when the
        // results or the scoring settings change; the annotations' update trigger reads the new lowest accuracy there.
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The trigger that names the column goes first: SQLite checks the triggers when a column is dropped.
            migrationBuilder.Sql("DROP TRIGGER annotations_after_update;");
            migrationBuilder.CreateTable(
                name: "score_comparisons",
                columns: table => new
                {
                    task_id = table.Column<long>(type: "INTEGER", nullable: false),
                    scores = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_score_comparisons", x => x.task_id);
                    table.ForeignKey(
                        name: "FK_score_comparisons_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
            // SQLite's own DROP COLUMN, not EF's rebuild of the table (see ScoreColumnsOnTheSheet).
            migrationBuilder.Sql($"""
                INSERT INTO score_comparisons (task_id, scores) SELECT task_id, scores FROM score_sheets;
                ALTER TABLE score_sheets DROP COLUMN scores;
                CREATE TRIGGER annotations_after_update AFTER UPDATE OF was_cancelled, ground_truth, created_at ON annotations BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations - (NOT OLD.was_cancelled) + (NOT NEW.was_cancelled),
                    cancelled_annotations = cancelled_annotations - OLD.was_cancelled + NEW.was_cancelled,
                    completed_at = (SELECT MAX(a.created_at) FROM annotations a WHERE a.task_id = NEW.task_id AND a.was_cancelled = 0)
                  WHERE id = NEW.task_id AND (OLD.was_cancelled <> NEW.was_cancelled OR OLD.created_at <> NEW.created_at);
                  UPDATE score_sheets SET
                    has_ground_truth = NEW.ground_truth,
                    ground_truth_annotation_id = CASE WHEN NEW.ground_truth THEN NEW.id END,
                    min_accuracy = CASE WHEN NEW.ground_truth
                      THEN (SELECT {SqliteDialect.Instance.JsonNumber("c.scores", ScoreSheet.MinKey, "NEW.id")} FROM score_comparisons c WHERE c.task_id = NEW.task_id) END
                  WHERE task_id = NEW.task_id AND OLD.ground_truth <> NEW.ground_truth;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER annotations_after_update;
                ALTER TABLE score_sheets ADD COLUMN scores TEXT NOT NULL DEFAULT '{}';
                UPDATE score_sheets SET scores = (SELECT c.scores FROM score_comparisons c WHERE c.task_id = score_sheets.task_id)
                WHERE EXISTS (SELECT 1 FROM score_comparisons c WHERE c.task_id = score_sheets.task_id);
                """);
            migrationBuilder.DropTable(name: "score_comparisons");
            migrationBuilder.Sql($"""
                CREATE TRIGGER annotations_after_update AFTER UPDATE OF was_cancelled, ground_truth, created_at ON annotations BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations - (NOT OLD.was_cancelled) + (NOT NEW.was_cancelled),
                    cancelled_annotations = cancelled_annotations - OLD.was_cancelled + NEW.was_cancelled,
                    completed_at = (SELECT MAX(a.created_at) FROM annotations a WHERE a.task_id = NEW.task_id AND a.was_cancelled = 0)
                  WHERE id = NEW.task_id AND (OLD.was_cancelled <> NEW.was_cancelled OR OLD.created_at <> NEW.created_at);
                  UPDATE score_sheets SET
                    has_ground_truth = NEW.ground_truth,
                    ground_truth_annotation_id = CASE WHEN NEW.ground_truth THEN NEW.id END,
                    min_accuracy = CASE WHEN NEW.ground_truth THEN {SqliteDialect.Instance.JsonNumber("scores", ScoreSheet.MinKey, "NEW.id")} END
                  WHERE task_id = NEW.task_id AND OLD.ground_truth <> NEW.ground_truth;
                END;
                """);
        }
    }
}
