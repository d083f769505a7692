using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class StoredCompletedAtAndPredictionScore : Migration
    {
        // As TasksCountedOnInsert set them: these functions only touch the tasks their rows name (see there).
        private const string Plan = "SET enable_hashjoin = off SET enable_mergejoin = off";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "completed_at",
                table: "tasks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "prediction_score",
                table: "tasks",
                type: "double precision",
                nullable: true);

            migrationBuilder.Sql("""
                UPDATE tasks t SET completed_at = d.completed_at
                FROM (SELECT task_id, MAX(created_at) AS completed_at FROM annotations WHERE NOT was_cancelled GROUP BY task_id) d WHERE t.id = d.task_id;
                UPDATE tasks t SET prediction_score = d.score
                FROM (SELECT task_id, AVG(score) AS score FROM predictions GROUP BY task_id) d WHERE t.id = d.task_id;
                """);

            // Label Studio's completed_at and predictions_score, kept on the task by the triggers that keep its counters,
            // so they filter and sort through an index like the other columns instead of looking into every task's
            // annotations or predictions. A delete, a cancellation or a changed score recomputes them from what remains.
            //
            // The update trigger adds up its old and new rows per task (the new counted, the old taken away) instead of
            // joining them row by row: with hash joins off (for the lookup of tasks), a join of the two transition tables
            // was a nested loop, quadratic in the rows a statement changes — a bulk chunk of 3,000 stars compared 9M
            // pairs. A task has at most one ground truth before and after, so its old and new one tell a set, a move
            // or an unset apart.
            migrationBuilder.Sql($"""
                CREATE OR REPLACE FUNCTION annotations_after_insert() RETURNS trigger LANGUAGE plpgsql {Plan} AS $$
                BEGIN
                  UPDATE tasks t SET
                    total_annotations = t.total_annotations + d.counted,
                    cancelled_annotations = t.cancelled_annotations + d.cancelled,
                    has_ground_truth = t.has_ground_truth OR d.ground_truth IS NOT NULL,
                    ground_truth_annotation_id = COALESCE(d.ground_truth, t.ground_truth_annotation_id),
                    completed_at = GREATEST(t.completed_at, d.completed_at)
                  FROM (SELECT task_id,
                          COUNT(*) FILTER (WHERE NOT was_cancelled) AS counted,
                          COUNT(*) FILTER (WHERE was_cancelled) AS cancelled,
                          MAX(id) FILTER (WHERE ground_truth) AS ground_truth,
                          MAX(created_at) FILTER (WHERE NOT was_cancelled) AS completed_at
                        FROM new_rows GROUP BY task_id) d
                  WHERE t.id = d.task_id;
                  RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION annotations_after_update() RETURNS trigger LANGUAGE plpgsql {Plan} AS $$
                BEGIN
                  UPDATE tasks t SET
                    total_annotations = t.total_annotations + d.counted,
                    cancelled_annotations = t.cancelled_annotations + d.cancelled,
                    has_ground_truth = CASE WHEN d.new_ground_truth IS NOT NULL THEN TRUE WHEN d.old_ground_truth IS NOT NULL THEN FALSE ELSE t.has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN d.new_ground_truth IS NOT NULL THEN d.new_ground_truth
                      WHEN d.old_ground_truth IS NOT NULL THEN NULL ELSE t.ground_truth_annotation_id END,
                    min_accuracy = CASE
                      WHEN d.new_ground_truth IS NOT NULL THEN (SELECT CAST(s.scores -> 'min' ->> CAST(d.new_ground_truth AS text) AS double precision) FROM score_sheets s WHERE s.task_id = t.id)
                      WHEN d.old_ground_truth IS NOT NULL THEN NULL
                      ELSE t.min_accuracy END,
                    completed_at = CASE WHEN d.new_completed IS DISTINCT FROM d.old_completed
                      THEN (SELECT MAX(a.created_at) FROM annotations a WHERE a.task_id = t.id AND NOT a.was_cancelled)
                      ELSE t.completed_at END
                  FROM (SELECT task_id,
                          SUM(sign * CASE WHEN was_cancelled THEN 0 ELSE 1 END) AS counted,
                          SUM(sign * CASE WHEN was_cancelled THEN 1 ELSE 0 END) AS cancelled,
                          MAX(id) FILTER (WHERE sign = 1 AND ground_truth) AS new_ground_truth,
                          MAX(id) FILTER (WHERE sign = -1 AND ground_truth) AS old_ground_truth,
                          MAX(created_at) FILTER (WHERE sign = 1 AND NOT was_cancelled) AS new_completed,
                          MAX(created_at) FILTER (WHERE sign = -1 AND NOT was_cancelled) AS old_completed
                        FROM (SELECT 1 AS sign, task_id, id, was_cancelled, ground_truth, created_at FROM new_rows
                              UNION ALL SELECT -1, task_id, id, was_cancelled, ground_truth, created_at FROM old_rows) r
                        GROUP BY task_id) d
                  WHERE t.id = d.task_id
                    AND (d.counted <> 0 OR d.cancelled <> 0 OR d.new_ground_truth IS DISTINCT FROM d.old_ground_truth
                      OR d.new_completed IS DISTINCT FROM d.old_completed);
                  RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION annotations_after_delete() RETURNS trigger LANGUAGE plpgsql {Plan} AS $$
                BEGIN
                  UPDATE tasks t SET
                    total_annotations = t.total_annotations - d.counted,
                    cancelled_annotations = t.cancelled_annotations - d.cancelled,
                    has_ground_truth = CASE WHEN d.ground_truth THEN FALSE ELSE t.has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN d.ground_truth THEN NULL ELSE t.ground_truth_annotation_id END,
                    completed_at = CASE WHEN d.counted > 0
                      THEN (SELECT MAX(a.created_at) FROM annotations a WHERE a.task_id = t.id AND NOT a.was_cancelled)
                      ELSE t.completed_at END
                  FROM (SELECT task_id,
                          COUNT(*) FILTER (WHERE NOT was_cancelled) AS counted,
                          COUNT(*) FILTER (WHERE was_cancelled) AS cancelled,
                          BOOL_OR(ground_truth) AS ground_truth
                        FROM old_rows GROUP BY task_id) d
                  WHERE t.id = d.task_id;
                  RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION predictions_after_insert() RETURNS trigger LANGUAGE plpgsql {Plan} AS $$
                BEGIN
                  UPDATE tasks t SET total_predictions = t.total_predictions + d.added,
                    prediction_score = (SELECT AVG(p.score) FROM predictions p WHERE p.task_id = t.id)
                  FROM (SELECT task_id, COUNT(*) AS added FROM new_rows GROUP BY task_id) d WHERE t.id = d.task_id;
                  RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION predictions_after_delete() RETURNS trigger LANGUAGE plpgsql {Plan} AS $$
                BEGIN
                  UPDATE tasks t SET total_predictions = t.total_predictions - d.removed,
                    prediction_score = (SELECT AVG(p.score) FROM predictions p WHERE p.task_id = t.id)
                  FROM (SELECT task_id, COUNT(*) AS removed FROM old_rows GROUP BY task_id) d WHERE t.id = d.task_id;
                  RETURN NULL;
                END $$;

                CREATE FUNCTION predictions_after_update() RETURNS trigger LANGUAGE plpgsql {Plan} AS $$
                BEGIN
                  UPDATE tasks t SET prediction_score = (SELECT AVG(p.score) FROM predictions p WHERE p.task_id = t.id)
                  FROM (SELECT task_id FROM new_rows UNION SELECT task_id FROM old_rows) d WHERE t.id = d.task_id;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER predictions_after_update AFTER UPDATE ON predictions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION predictions_after_update();

                CREATE OR REPLACE FUNCTION tasks_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  SELECT COUNT(*) FILTER (WHERE NOT was_cancelled), COUNT(*) FILTER (WHERE was_cancelled), MAX(id) FILTER (WHERE ground_truth),
                      MAX(created_at) FILTER (WHERE NOT was_cancelled)
                    INTO NEW.total_annotations, NEW.cancelled_annotations, NEW.ground_truth_annotation_id, NEW.completed_at
                    FROM annotations WHERE task_id = NEW.id;
                  NEW.has_ground_truth := NEW.ground_truth_annotation_id IS NOT NULL;
                  SELECT COUNT(*), AVG(score) INTO NEW.total_predictions, NEW.prediction_score FROM predictions WHERE task_id = NEW.id;
                  RETURN NEW;
                END $$;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_completed_at_id",
                table: "tasks",
                columns: new[] { "project_id", "completed_at", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_prediction_score_id",
                table: "tasks",
                columns: new[] { "project_id", "prediction_score", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The functions as they were before, as the schema file had them.
            migrationBuilder.Sql("""
                DROP FUNCTION predictions_after_update() CASCADE;

                CREATE OR REPLACE FUNCTION public.annotations_after_insert()
                 RETURNS trigger
                 LANGUAGE plpgsql
                 SET enable_hashjoin TO 'off'
                 SET enable_mergejoin TO 'off'
                AS $function$
                BEGIN
                  UPDATE tasks t SET
                    total_annotations = t.total_annotations + d.counted,
                    cancelled_annotations = t.cancelled_annotations + d.cancelled,
                    has_ground_truth = t.has_ground_truth OR d.ground_truth IS NOT NULL,
                    ground_truth_annotation_id = COALESCE(d.ground_truth, t.ground_truth_annotation_id)
                  FROM (SELECT task_id,
                          COUNT(*) FILTER (WHERE NOT was_cancelled) AS counted,
                          COUNT(*) FILTER (WHERE was_cancelled) AS cancelled,
                          MAX(id) FILTER (WHERE ground_truth) AS ground_truth
                        FROM new_rows GROUP BY task_id) d
                  WHERE t.id = d.task_id;
                  RETURN NULL;
                END $function$;

                CREATE OR REPLACE FUNCTION public.annotations_after_update()
                 RETURNS trigger
                 LANGUAGE plpgsql
                 SET enable_hashjoin TO 'off'
                 SET enable_mergejoin TO 'off'
                AS $function$
                BEGIN
                  UPDATE tasks t SET
                    total_annotations = t.total_annotations + d.counted,
                    cancelled_annotations = t.cancelled_annotations + d.cancelled,
                    has_ground_truth = CASE WHEN d.set_to IS NOT NULL THEN TRUE WHEN d.unset THEN FALSE ELSE t.has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN d.set_to IS NOT NULL THEN d.set_to WHEN d.unset THEN NULL ELSE t.ground_truth_annotation_id END,
                    min_accuracy = CASE
                      WHEN d.set_to IS NOT NULL THEN (SELECT CAST(s.scores -> 'min' ->> CAST(d.set_to AS text) AS double precision) FROM score_sheets s WHERE s.task_id = t.id)
                      WHEN d.unset THEN NULL
                      ELSE t.min_accuracy END
                  FROM (SELECT n.task_id,
                          SUM(CASE WHEN n.was_cancelled THEN 0 ELSE 1 END - CASE WHEN o.was_cancelled THEN 0 ELSE 1 END) AS counted,
                          SUM(CASE WHEN n.was_cancelled THEN 1 ELSE 0 END - CASE WHEN o.was_cancelled THEN 1 ELSE 0 END) AS cancelled,
                          MAX(n.id) FILTER (WHERE n.ground_truth) AS set_to,
                          BOOL_OR(o.ground_truth AND NOT n.ground_truth) AS unset
                        FROM new_rows n JOIN old_rows o ON o.id = n.id
                        WHERE n.was_cancelled <> o.was_cancelled OR n.ground_truth <> o.ground_truth
                        GROUP BY n.task_id) d
                  WHERE t.id = d.task_id;
                  RETURN NULL;
                END $function$;

                CREATE OR REPLACE FUNCTION public.annotations_after_delete()
                 RETURNS trigger
                 LANGUAGE plpgsql
                 SET enable_hashjoin TO 'off'
                 SET enable_mergejoin TO 'off'
                AS $function$
                BEGIN
                  UPDATE tasks t SET
                    total_annotations = t.total_annotations - d.counted,
                    cancelled_annotations = t.cancelled_annotations - d.cancelled,
                    has_ground_truth = CASE WHEN d.ground_truth THEN FALSE ELSE t.has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN d.ground_truth THEN NULL ELSE t.ground_truth_annotation_id END
                  FROM (SELECT task_id,
                          COUNT(*) FILTER (WHERE NOT was_cancelled) AS counted,
                          COUNT(*) FILTER (WHERE was_cancelled) AS cancelled,
                          BOOL_OR(ground_truth) AS ground_truth
                        FROM old_rows GROUP BY task_id) d
                  WHERE t.id = d.task_id;
                  RETURN NULL;
                END $function$;

                CREATE OR REPLACE FUNCTION public.predictions_after_insert()
                 RETURNS trigger
                 LANGUAGE plpgsql
                 SET enable_hashjoin TO 'off'
                 SET enable_mergejoin TO 'off'
                AS $function$
                BEGIN
                  UPDATE tasks t SET total_predictions = t.total_predictions + d.added
                  FROM (SELECT task_id, COUNT(*) AS added FROM new_rows GROUP BY task_id) d WHERE t.id = d.task_id;
                  RETURN NULL;
                END $function$;

                CREATE OR REPLACE FUNCTION public.predictions_after_delete()
                 RETURNS trigger
                 LANGUAGE plpgsql
                 SET enable_hashjoin TO 'off'
                 SET enable_mergejoin TO 'off'
                AS $function$
                BEGIN
                  UPDATE tasks t SET total_predictions = t.total_predictions - d.removed
                  FROM (SELECT task_id, COUNT(*) AS removed FROM old_rows GROUP BY task_id) d WHERE t.id = d.task_id;
                  RETURN NULL;
                END $function$;

                CREATE OR REPLACE FUNCTION public.tasks_before_insert()
                 RETURNS trigger
                 LANGUAGE plpgsql
                AS $function$
                BEGIN
                  SELECT COUNT(*) FILTER (WHERE NOT was_cancelled), COUNT(*) FILTER (WHERE was_cancelled), MAX(id) FILTER (WHERE ground_truth)
                    INTO NEW.total_annotations, NEW.cancelled_annotations, NEW.ground_truth_annotation_id
                    FROM annotations WHERE task_id = NEW.id;
                  NEW.has_ground_truth := NEW.ground_truth_annotation_id IS NOT NULL;
                  NEW.total_predictions := (SELECT COUNT(*) FROM predictions WHERE task_id = NEW.id);
                  RETURN NEW;
                END $function$;
                """);

            migrationBuilder.DropIndex(
                name: "IX_tasks_project_id_completed_at_id",
                table: "tasks");

            migrationBuilder.DropIndex(
                name: "IX_tasks_project_id_prediction_score_id",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "completed_at",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "prediction_score",
                table: "tasks");
        }
    }
}
