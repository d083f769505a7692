using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ScoreColumnsOnTheSheet : Migration
    {
        // Who totals what: the task counters and completed_at stay on tasks (their triggers count tasks, annotations and
        // predictions into project_totals); the ground truth moves to the score sheet with the scores, and the sheet's
        // triggers count ground truths. A star or a bulk action then writes the sheet's narrow row (four indexes) and no
        // task row (eleven); a rescoring writes one row a task instead of two.
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Every trigger that names a column that moves goes first: dropping a column rebuilds the table, and SQLite
            // checks the triggers that name it.
            migrationBuilder.Sql("""
                DROP TRIGGER annotations_after_insert;
                DROP TRIGGER annotations_after_update;
                DROP TRIGGER annotations_after_delete;
                DROP TRIGGER tasks_after_insert;
                DROP TRIGGER tasks_totals_after_insert;
                DROP TRIGGER tasks_totals_after_update;
                DROP TRIGGER tasks_totals_after_delete;
                """);
            migrationBuilder.AddColumn<long>(name: "project_id", table: "score_sheets", type: "INTEGER", nullable: false, defaultValue: 0L);
            migrationBuilder.AddColumn<bool>(name: "has_ground_truth", table: "score_sheets", type: "INTEGER", nullable: false, defaultValue: false);
            migrationBuilder.AddColumn<long>(name: "ground_truth_annotation_id", table: "score_sheets", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<double>(name: "agreement", table: "score_sheets", type: "REAL", nullable: true);
            migrationBuilder.AddColumn<double>(name: "min_accuracy", table: "score_sheets", type: "REAL", nullable: true);

            // The sheets take the task's values; a task without a sheet (from before the sheets) gets one, and its scores,
            // from DatabaseInitializer at the next start. Ground truths are counted again from the sheets, as their
            // triggers will count them from now on.
            migrationBuilder.Sql("""
                UPDATE score_sheets SET project_id = t.project_id, has_ground_truth = t.has_ground_truth,
                  ground_truth_annotation_id = t.ground_truth_annotation_id, agreement = t.agreement, min_accuracy = t.min_accuracy
                FROM tasks t WHERE t.id = score_sheets.task_id;
                UPDATE project_totals SET ground_truths =
                  (SELECT COUNT(*) FROM score_sheets s WHERE s.project_id = project_totals.project_id AND s.has_ground_truth = 1);
                """);

            migrationBuilder.DropIndex(name: "IX_tasks_project_id_agreement_id", table: "tasks");
            migrationBuilder.DropIndex(name: "IX_tasks_project_id_has_ground_truth_id", table: "tasks");
            migrationBuilder.DropIndex(name: "IX_tasks_project_id_min_accuracy_id", table: "tasks");
            // SQLite's own DROP COLUMN, not EF's rebuild of the table: a rebuild drops "tasks" for a moment, and the
            // predictions' triggers that name it refuse that.
            migrationBuilder.Sql("""
                ALTER TABLE tasks DROP COLUMN agreement;
                ALTER TABLE tasks DROP COLUMN ground_truth_annotation_id;
                ALTER TABLE tasks DROP COLUMN has_ground_truth;
                ALTER TABLE tasks DROP COLUMN min_accuracy;
                """);
            migrationBuilder.CreateIndex(name: "IX_score_sheets_project_id_agreement_task_id", table: "score_sheets", columns: ["project_id", "agreement", "task_id"]);
            migrationBuilder.CreateIndex(name: "IX_score_sheets_project_id_has_ground_truth_task_id", table: "score_sheets", columns: ["project_id", "has_ground_truth", "task_id"]);
            migrationBuilder.CreateIndex(name: "IX_score_sheets_project_id_min_accuracy_task_id", table: "score_sheets", columns: ["project_id", "min_accuracy", "task_id"]);

            // Annotations: the task's counters only when they change, the sheet's ground truth only when it changes.
            migrationBuilder.Sql("""
                CREATE TRIGGER annotations_after_insert AFTER INSERT ON annotations BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations + (NOT NEW.was_cancelled),
                    cancelled_annotations = cancelled_annotations + NEW.was_cancelled,
                    completed_at = CASE WHEN NEW.was_cancelled OR completed_at >= NEW.created_at THEN completed_at ELSE NEW.created_at END
                  WHERE id = NEW.task_id;
                  UPDATE score_sheets SET has_ground_truth = 1, ground_truth_annotation_id = NEW.id
                  WHERE NEW.ground_truth AND task_id = NEW.task_id;
                END;
                CREATE TRIGGER annotations_after_update AFTER UPDATE OF was_cancelled, ground_truth, created_at ON annotations BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations - (NOT OLD.was_cancelled) + (NOT NEW.was_cancelled),
                    cancelled_annotations = cancelled_annotations - OLD.was_cancelled + NEW.was_cancelled,
                    completed_at = (SELECT MAX(a.created_at) FROM annotations a WHERE a.task_id = NEW.task_id AND a.was_cancelled = 0)
                  WHERE id = NEW.task_id AND (OLD.was_cancelled <> NEW.was_cancelled OR OLD.created_at <> NEW.created_at);
                  UPDATE score_sheets SET
                    has_ground_truth = NEW.ground_truth,
                    ground_truth_annotation_id = CASE WHEN NEW.ground_truth THEN NEW.id END,
                    min_accuracy = CASE WHEN NEW.ground_truth THEN json_extract(scores, '$.min."' || NEW.id || '"') END
                  WHERE task_id = NEW.task_id AND OLD.ground_truth <> NEW.ground_truth;
                END;
                CREATE TRIGGER annotations_after_delete AFTER DELETE ON annotations BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations - (NOT OLD.was_cancelled),
                    cancelled_annotations = cancelled_annotations - OLD.was_cancelled,
                    completed_at = CASE WHEN OLD.was_cancelled THEN completed_at
                      ELSE (SELECT MAX(a.created_at) FROM annotations a WHERE a.task_id = OLD.task_id AND a.was_cancelled = 0) END
                  WHERE id = OLD.task_id;
                  UPDATE score_sheets SET has_ground_truth = 0, ground_truth_annotation_id = NULL, min_accuracy = NULL
                  WHERE OLD.ground_truth AND task_id = OLD.task_id;
                END;
                CREATE TRIGGER tasks_after_insert AFTER INSERT ON tasks BEGIN
                  UPDATE tasks SET
                    total_annotations = (SELECT COUNT(*) FROM annotations WHERE task_id = NEW.id AND was_cancelled = 0),
                    cancelled_annotations = (SELECT COUNT(*) FROM annotations WHERE task_id = NEW.id AND was_cancelled = 1),
                    total_predictions = (SELECT COUNT(*) FROM predictions WHERE task_id = NEW.id),
                    completed_at = (SELECT MAX(created_at) FROM annotations WHERE task_id = NEW.id AND was_cancelled = 0),
                    prediction_score = (SELECT AVG(score) FROM predictions WHERE task_id = NEW.id)
                  WHERE id = NEW.id;
                END;
                CREATE TRIGGER tasks_totals_after_delete AFTER DELETE ON tasks BEGIN
                  UPDATE project_totals SET tasks = tasks - 1,
                    annotated_tasks = annotated_tasks - (OLD.total_annotations > 0), annotations = annotations - OLD.total_annotations,
                    cancelled_annotations = cancelled_annotations - OLD.cancelled_annotations, predictions = predictions - OLD.total_predictions
                  WHERE project_id = OLD.project_id;
                END;
                CREATE TRIGGER tasks_totals_after_insert AFTER INSERT ON tasks BEGIN
                  UPDATE project_totals SET tasks = tasks + 1,
                    annotated_tasks = annotated_tasks + (NEW.total_annotations > 0), annotations = annotations + NEW.total_annotations,
                    cancelled_annotations = cancelled_annotations + NEW.cancelled_annotations, predictions = predictions + NEW.total_predictions
                  WHERE project_id = NEW.project_id;
                END;
                CREATE TRIGGER tasks_totals_after_update AFTER UPDATE OF project_id, total_annotations, cancelled_annotations, total_predictions ON tasks
                WHEN OLD.project_id <> NEW.project_id OR OLD.total_annotations <> NEW.total_annotations
                  OR OLD.cancelled_annotations <> NEW.cancelled_annotations OR OLD.total_predictions <> NEW.total_predictions
                BEGIN
                  UPDATE project_totals SET tasks = tasks - 1,
                    annotated_tasks = annotated_tasks - (OLD.total_annotations > 0), annotations = annotations - OLD.total_annotations,
                    cancelled_annotations = cancelled_annotations - OLD.cancelled_annotations, predictions = predictions - OLD.total_predictions
                  WHERE project_id = OLD.project_id;
                  UPDATE project_totals SET tasks = tasks + 1,
                    annotated_tasks = annotated_tasks + (NEW.total_annotations > 0), annotations = annotations + NEW.total_annotations,
                    cancelled_annotations = cancelled_annotations + NEW.cancelled_annotations, predictions = predictions + NEW.total_predictions
                  WHERE project_id = NEW.project_id;
                END;
                -- A task's sheet follows it into another project (an import's publish moves its tasks out of the staging project).
                CREATE TRIGGER tasks_sheets_follow_project AFTER UPDATE OF project_id ON tasks WHEN OLD.project_id <> NEW.project_id BEGIN
                  UPDATE score_sheets SET project_id = NEW.project_id WHERE task_id = NEW.id;
                END;
                -- The database, not the writer, says what a new sheet's ground truth is (the import writes annotations first).
                CREATE TRIGGER score_sheets_ground_truth_on_insert AFTER INSERT ON score_sheets BEGIN
                  UPDATE score_sheets SET
                    ground_truth_annotation_id = (SELECT id FROM annotations WHERE task_id = NEW.task_id AND ground_truth = 1),
                    has_ground_truth = EXISTS (SELECT 1 FROM annotations WHERE task_id = NEW.task_id AND ground_truth = 1)
                  WHERE task_id = NEW.task_id;
                END;
                -- Ground truths per project, counted from the sheets.
                CREATE TRIGGER score_sheets_totals_after_insert AFTER INSERT ON score_sheets WHEN NEW.has_ground_truth BEGIN
                  UPDATE project_totals SET ground_truths = ground_truths + 1 WHERE project_id = NEW.project_id;
                END;
                CREATE TRIGGER score_sheets_totals_after_update AFTER UPDATE OF project_id, has_ground_truth ON score_sheets
                WHEN OLD.project_id <> NEW.project_id OR OLD.has_ground_truth <> NEW.has_ground_truth
                BEGIN
                  UPDATE project_totals SET ground_truths = ground_truths - OLD.has_ground_truth WHERE project_id = OLD.project_id;
                  UPDATE project_totals SET ground_truths = ground_truths + NEW.has_ground_truth WHERE project_id = NEW.project_id;
                END;
                CREATE TRIGGER score_sheets_totals_after_delete AFTER DELETE ON score_sheets WHEN OLD.has_ground_truth BEGIN
                  UPDATE project_totals SET ground_truths = ground_truths - 1 WHERE project_id = OLD.project_id;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER annotations_after_insert;
                DROP TRIGGER annotations_after_update;
                DROP TRIGGER annotations_after_delete;
                DROP TRIGGER tasks_after_insert;
                DROP TRIGGER tasks_totals_after_insert;
                DROP TRIGGER tasks_totals_after_update;
                DROP TRIGGER tasks_totals_after_delete;
                DROP TRIGGER tasks_sheets_follow_project;
                DROP TRIGGER score_sheets_ground_truth_on_insert;
                DROP TRIGGER score_sheets_totals_after_insert;
                DROP TRIGGER score_sheets_totals_after_update;
                DROP TRIGGER score_sheets_totals_after_delete;
                """);
            migrationBuilder.DropIndex(name: "IX_score_sheets_project_id_agreement_task_id", table: "score_sheets");
            migrationBuilder.DropIndex(name: "IX_score_sheets_project_id_has_ground_truth_task_id", table: "score_sheets");
            migrationBuilder.DropIndex(name: "IX_score_sheets_project_id_min_accuracy_task_id", table: "score_sheets");
            migrationBuilder.AddColumn<double>(name: "agreement", table: "tasks", type: "REAL", nullable: true);
            migrationBuilder.AddColumn<long>(name: "ground_truth_annotation_id", table: "tasks", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<bool>(name: "has_ground_truth", table: "tasks", type: "INTEGER", nullable: false, defaultValue: false);
            migrationBuilder.AddColumn<double>(name: "min_accuracy", table: "tasks", type: "REAL", nullable: true);
            migrationBuilder.Sql("""
                UPDATE tasks SET has_ground_truth = s.has_ground_truth, ground_truth_annotation_id = s.ground_truth_annotation_id,
                  agreement = s.agreement, min_accuracy = s.min_accuracy
                FROM score_sheets s WHERE s.task_id = tasks.id;
                ALTER TABLE score_sheets DROP COLUMN agreement;
                ALTER TABLE score_sheets DROP COLUMN ground_truth_annotation_id;
                ALTER TABLE score_sheets DROP COLUMN has_ground_truth;
                ALTER TABLE score_sheets DROP COLUMN min_accuracy;
                ALTER TABLE score_sheets DROP COLUMN project_id;
                """);
            migrationBuilder.CreateIndex(name: "IX_tasks_project_id_agreement_id", table: "tasks", columns: ["project_id", "agreement", "id"]);
            migrationBuilder.CreateIndex(name: "IX_tasks_project_id_has_ground_truth_id", table: "tasks", columns: ["project_id", "has_ground_truth", "id"]);
            migrationBuilder.CreateIndex(name: "IX_tasks_project_id_min_accuracy_id", table: "tasks", columns: ["project_id", "min_accuracy", "id"]);

            // The triggers as they were before, as the schema file had them.
            migrationBuilder.Sql("""
                CREATE TRIGGER annotations_after_delete AFTER DELETE ON annotations BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations - (NOT OLD.was_cancelled),
                    cancelled_annotations = cancelled_annotations - OLD.was_cancelled,
                    has_ground_truth = CASE WHEN OLD.ground_truth THEN 0 ELSE has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN OLD.ground_truth THEN NULL ELSE ground_truth_annotation_id END,
                    completed_at = CASE WHEN OLD.was_cancelled THEN completed_at
                      ELSE (SELECT MAX(a.created_at) FROM annotations a WHERE a.task_id = OLD.task_id AND a.was_cancelled = 0) END
                  WHERE id = OLD.task_id;
                END;
                CREATE TRIGGER annotations_after_insert AFTER INSERT ON annotations BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations + (NOT NEW.was_cancelled),
                    cancelled_annotations = cancelled_annotations + NEW.was_cancelled,
                    has_ground_truth = CASE WHEN NEW.ground_truth THEN 1 ELSE has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN NEW.ground_truth THEN NEW.id ELSE ground_truth_annotation_id END,
                    completed_at = CASE WHEN NEW.was_cancelled OR completed_at >= NEW.created_at THEN completed_at ELSE NEW.created_at END
                  WHERE id = NEW.task_id;
                END;
                CREATE TRIGGER annotations_after_update AFTER UPDATE OF was_cancelled, ground_truth, created_at ON annotations BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations - (NOT OLD.was_cancelled) + (NOT NEW.was_cancelled),
                    cancelled_annotations = cancelled_annotations - OLD.was_cancelled + NEW.was_cancelled,
                    has_ground_truth = CASE WHEN NEW.ground_truth THEN 1 WHEN OLD.ground_truth THEN 0 ELSE has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN NEW.ground_truth THEN NEW.id WHEN OLD.ground_truth THEN NULL ELSE ground_truth_annotation_id END,
                    min_accuracy = CASE
                      WHEN NEW.ground_truth THEN (SELECT json_extract(s.scores, '$.min."' || NEW.id || '"') FROM score_sheets s WHERE s.task_id = NEW.task_id)
                      WHEN OLD.ground_truth THEN NULL
                      ELSE min_accuracy END,
                    completed_at = CASE WHEN OLD.was_cancelled <> NEW.was_cancelled OR OLD.created_at <> NEW.created_at
                      THEN (SELECT MAX(a.created_at) FROM annotations a WHERE a.task_id = NEW.task_id AND a.was_cancelled = 0)
                      ELSE completed_at END
                  WHERE id = NEW.task_id;
                END;
                CREATE TRIGGER tasks_after_insert AFTER INSERT ON tasks BEGIN
                  UPDATE tasks SET
                    total_annotations = (SELECT COUNT(*) FROM annotations WHERE task_id = NEW.id AND was_cancelled = 0),
                    cancelled_annotations = (SELECT COUNT(*) FROM annotations WHERE task_id = NEW.id AND was_cancelled = 1),
                    ground_truth_annotation_id = (SELECT MAX(id) FROM annotations WHERE task_id = NEW.id AND ground_truth = 1),
                    has_ground_truth = EXISTS (SELECT 1 FROM annotations WHERE task_id = NEW.id AND ground_truth = 1),
                    total_predictions = (SELECT COUNT(*) FROM predictions WHERE task_id = NEW.id),
                    completed_at = (SELECT MAX(created_at) FROM annotations WHERE task_id = NEW.id AND was_cancelled = 0),
                    prediction_score = (SELECT AVG(score) FROM predictions WHERE task_id = NEW.id)
                  WHERE id = NEW.id;
                END;
                CREATE TRIGGER tasks_totals_after_delete AFTER DELETE ON tasks BEGIN
                  UPDATE project_totals SET tasks = tasks - 1, ground_truths = ground_truths - OLD.has_ground_truth,
                    annotated_tasks = annotated_tasks - (OLD.total_annotations > 0), annotations = annotations - OLD.total_annotations,
                    cancelled_annotations = cancelled_annotations - OLD.cancelled_annotations, predictions = predictions - OLD.total_predictions
                  WHERE project_id = OLD.project_id;
                END;
                CREATE TRIGGER tasks_totals_after_insert AFTER INSERT ON tasks BEGIN
                  UPDATE project_totals SET tasks = tasks + 1, ground_truths = ground_truths + NEW.has_ground_truth,
                    annotated_tasks = annotated_tasks + (NEW.total_annotations > 0), annotations = annotations + NEW.total_annotations,
                    cancelled_annotations = cancelled_annotations + NEW.cancelled_annotations, predictions = predictions + NEW.total_predictions
                  WHERE project_id = NEW.project_id;
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
    }
}
