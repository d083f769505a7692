using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Sqlite.Migrations
{
    /// <summary>
    /// Triggers keep each task's denormalised counters and ground-truth columns current on every write to annotations
    /// and predictions, whichever code path (service, bulk SQL, import) makes it.
    /// </summary>
    public partial class TaskCounterTriggers : Migration
    {
        private static readonly string[] TriggerNames =
            ["annotations_after_insert", "annotations_after_update", "annotations_after_delete", "predictions_after_insert", "predictions_after_delete"];

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TRIGGER annotations_after_insert AFTER INSERT ON annotations BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations + (NOT NEW.was_cancelled),
                    cancelled_annotations = cancelled_annotations + NEW.was_cancelled,
                    has_ground_truth = CASE WHEN NEW.ground_truth THEN 1 ELSE has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN NEW.ground_truth THEN NEW.id ELSE ground_truth_annotation_id END
                  WHERE id = NEW.task_id;
                END;
                """);
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
            migrationBuilder.Sql("""
                CREATE TRIGGER annotations_after_delete AFTER DELETE ON annotations BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations - (NOT OLD.was_cancelled),
                    cancelled_annotations = cancelled_annotations - OLD.was_cancelled,
                    has_ground_truth = CASE WHEN OLD.ground_truth THEN 0 ELSE has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN OLD.ground_truth THEN NULL ELSE ground_truth_annotation_id END
                  WHERE id = OLD.task_id;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER predictions_after_insert AFTER INSERT ON predictions BEGIN
                  UPDATE tasks SET total_predictions = total_predictions + 1 WHERE id = NEW.task_id;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER predictions_after_delete AFTER DELETE ON predictions BEGIN
                  UPDATE tasks SET total_predictions = total_predictions - 1 WHERE id = OLD.task_id;
                END;
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var name in TriggerNames)
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {name};");
            }
        }
    }
}
