using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ScoreColumnsOnTheSheet : Migration
    {
        // As TasksCountedOnInsert set them: these functions only touch the rows their transition tables name (see there).
        private const string Plan = "SET enable_hashjoin = off SET enable_mergejoin = off";

        // Who totals what: the task counters and completed_at stay on tasks (their triggers count tasks, annotations and
        // predictions into project_totals); the ground truth moves to the score sheet with the scores, and the sheet's
        // triggers count ground truths. A star or a bulk action then writes the sheet's narrow row (four indexes) and no
        // task row (eleven); a rescoring writes one row a task instead of two.
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(name: "project_id", table: "score_sheets", type: "bigint", nullable: false, defaultValue: 0L);
            migrationBuilder.AddColumn<bool>(name: "has_ground_truth", table: "score_sheets", type: "boolean", nullable: false, defaultValue: false);
            migrationBuilder.AddColumn<long>(name: "ground_truth_annotation_id", table: "score_sheets", type: "bigint", nullable: true);
            migrationBuilder.AddColumn<double>(name: "agreement", table: "score_sheets", type: "double precision", nullable: true);
            migrationBuilder.AddColumn<double>(name: "min_accuracy", table: "score_sheets", type: "double precision", nullable: true);

            // The sheets take the task's values; a task without a sheet (from before the sheets) gets one, and its scores,
            // from DatabaseInitializer at the next start. Ground truths are counted again from the sheets, as their
            // triggers will count them from now on.
            migrationBuilder.Sql("""
                UPDATE score_sheets s SET project_id = t.project_id, has_ground_truth = t.has_ground_truth,
                  ground_truth_annotation_id = t.ground_truth_annotation_id, agreement = t.agreement, min_accuracy = t.min_accuracy
                FROM tasks t WHERE t.id = s.task_id;
                UPDATE project_totals SET ground_truths = 0;
                INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                  SELECT project_id, 0, COUNT(*), 0, 0, 0, 0 FROM score_sheets WHERE has_ground_truth GROUP BY project_id;
                """);

            migrationBuilder.DropIndex(name: "IX_tasks_project_id_agreement_id", table: "tasks");
            migrationBuilder.DropIndex(name: "IX_tasks_project_id_has_ground_truth_id", table: "tasks");
            migrationBuilder.DropIndex(name: "IX_tasks_project_id_min_accuracy_id", table: "tasks");
            migrationBuilder.DropColumn(name: "agreement", table: "tasks");
            migrationBuilder.DropColumn(name: "ground_truth_annotation_id", table: "tasks");
            migrationBuilder.DropColumn(name: "has_ground_truth", table: "tasks");
            migrationBuilder.DropColumn(name: "min_accuracy", table: "tasks");
            migrationBuilder.CreateIndex(name: "IX_score_sheets_project_id_agreement_task_id", table: "score_sheets", columns: ["project_id", "agreement", "task_id"]);
            migrationBuilder.CreateIndex(name: "IX_score_sheets_project_id_has_ground_truth_task_id", table: "score_sheets", columns: ["project_id", "has_ground_truth", "task_id"]);
            migrationBuilder.CreateIndex(name: "IX_score_sheets_project_id_min_accuracy_task_id", table: "score_sheets", columns: ["project_id", "min_accuracy", "task_id"]);

            // Annotations: the task's counters only when they change, the sheet's ground truth only when it changes.
            migrationBuilder.Sql($"""
                CREATE OR REPLACE FUNCTION annotations_after_insert() RETURNS trigger LANGUAGE plpgsql {Plan} AS $$
                BEGIN
                  UPDATE tasks t SET
                    total_annotations = t.total_annotations + d.counted,
                    cancelled_annotations = t.cancelled_annotations + d.cancelled,
                    completed_at = GREATEST(t.completed_at, d.completed_at)
                  FROM (SELECT task_id,
                          COUNT(*) FILTER (WHERE NOT was_cancelled) AS counted,
                          COUNT(*) FILTER (WHERE was_cancelled) AS cancelled,
                          MAX(created_at) FILTER (WHERE NOT was_cancelled) AS completed_at
                        FROM new_rows GROUP BY task_id) d
                  WHERE t.id = d.task_id;
                  UPDATE score_sheets s SET has_ground_truth = TRUE, ground_truth_annotation_id = d.ground_truth
                  FROM (SELECT task_id, MAX(id) AS ground_truth FROM new_rows WHERE ground_truth GROUP BY task_id) d
                  WHERE s.task_id = d.task_id;
                  RETURN NULL;
                END $$;

                -- The old and new rows added up per task (see StoredCompletedAtAndPredictionScore), once for both writes.
                CREATE OR REPLACE FUNCTION annotations_after_update() RETURNS trigger LANGUAGE plpgsql {Plan} AS $$
                BEGIN
                  WITH d AS MATERIALIZED (
                    SELECT task_id,
                      SUM(sign * CASE WHEN was_cancelled THEN 0 ELSE 1 END) AS counted,
                      SUM(sign * CASE WHEN was_cancelled THEN 1 ELSE 0 END) AS cancelled,
                      MAX(id) FILTER (WHERE sign = 1 AND ground_truth) AS new_ground_truth,
                      MAX(id) FILTER (WHERE sign = -1 AND ground_truth) AS old_ground_truth,
                      MAX(created_at) FILTER (WHERE sign = 1 AND NOT was_cancelled) AS new_completed,
                      MAX(created_at) FILTER (WHERE sign = -1 AND NOT was_cancelled) AS old_completed
                    FROM (SELECT 1 AS sign, task_id, id, was_cancelled, ground_truth, created_at FROM new_rows
                          UNION ALL SELECT -1, task_id, id, was_cancelled, ground_truth, created_at FROM old_rows) r
                    GROUP BY task_id),
                  counters AS (
                    UPDATE tasks t SET
                      total_annotations = t.total_annotations + d.counted,
                      cancelled_annotations = t.cancelled_annotations + d.cancelled,
                      completed_at = CASE WHEN d.new_completed IS DISTINCT FROM d.old_completed
                        THEN (SELECT MAX(a.created_at) FROM annotations a WHERE a.task_id = t.id AND NOT a.was_cancelled)
                        ELSE t.completed_at END
                    FROM d
                    WHERE t.id = d.task_id AND (d.counted <> 0 OR d.cancelled <> 0 OR d.new_completed IS DISTINCT FROM d.old_completed))
                  UPDATE score_sheets s SET
                    has_ground_truth = d.new_ground_truth IS NOT NULL,
                    ground_truth_annotation_id = d.new_ground_truth,
                    min_accuracy = CAST(s.scores -> 'min' ->> CAST(d.new_ground_truth AS text) AS double precision)
                  FROM d
                  WHERE s.task_id = d.task_id AND d.new_ground_truth IS DISTINCT FROM d.old_ground_truth;
                  RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION annotations_after_delete() RETURNS trigger LANGUAGE plpgsql {Plan} AS $$
                BEGIN
                  UPDATE tasks t SET
                    total_annotations = t.total_annotations - d.counted,
                    cancelled_annotations = t.cancelled_annotations - d.cancelled,
                    completed_at = CASE WHEN d.counted > 0
                      THEN (SELECT MAX(a.created_at) FROM annotations a WHERE a.task_id = t.id AND NOT a.was_cancelled)
                      ELSE t.completed_at END
                  FROM (SELECT task_id,
                          COUNT(*) FILTER (WHERE NOT was_cancelled) AS counted,
                          COUNT(*) FILTER (WHERE was_cancelled) AS cancelled
                        FROM old_rows GROUP BY task_id) d
                  WHERE t.id = d.task_id;
                  UPDATE score_sheets s SET has_ground_truth = FALSE, ground_truth_annotation_id = NULL, min_accuracy = NULL
                  FROM (SELECT DISTINCT task_id FROM old_rows WHERE ground_truth) d
                  WHERE s.task_id = d.task_id;
                  RETURN NULL;
                END $$;

                -- Counters only: the ground truth is the sheet's.
                CREATE OR REPLACE FUNCTION tasks_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  SELECT COUNT(*) FILTER (WHERE NOT was_cancelled), COUNT(*) FILTER (WHERE was_cancelled), MAX(created_at) FILTER (WHERE NOT was_cancelled)
                    INTO NEW.total_annotations, NEW.cancelled_annotations, NEW.completed_at
                    FROM annotations WHERE task_id = NEW.id;
                  SELECT COUNT(*), AVG(score) INTO NEW.total_predictions, NEW.prediction_score FROM predictions WHERE task_id = NEW.id;
                  RETURN NEW;
                END $$;

                CREATE OR REPLACE FUNCTION tasks_totals_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                  SELECT project_id, COUNT(*), 0, COUNT(*) FILTER (WHERE total_annotations > 0),
                    SUM(total_annotations), SUM(cancelled_annotations), SUM(total_predictions)
                  FROM new_rows GROUP BY project_id;
                  RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION tasks_totals_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                  SELECT project_id, SUM(tasks), 0, SUM(annotated_tasks), SUM(annotations), SUM(cancelled_annotations), SUM(predictions)
                  FROM (
                    SELECT project_id, 1 AS tasks, CAST(total_annotations > 0 AS integer) AS annotated_tasks,
                      total_annotations AS annotations, cancelled_annotations, total_predictions AS predictions
                    FROM new_rows
                    UNION ALL
                    SELECT project_id, -1, -CAST(total_annotations > 0 AS integer), -total_annotations, -cancelled_annotations, -total_predictions
                    FROM old_rows
                  ) d
                  GROUP BY project_id
                  HAVING SUM(tasks) <> 0 OR SUM(annotated_tasks) <> 0 OR SUM(annotations) <> 0
                    OR SUM(cancelled_annotations) <> 0 OR SUM(predictions) <> 0;
                  RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION tasks_totals_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                  SELECT project_id, -COUNT(*), 0, -COUNT(*) FILTER (WHERE total_annotations > 0),
                    -SUM(total_annotations), -SUM(cancelled_annotations), -SUM(total_predictions)
                  FROM old_rows WHERE project_id IN (SELECT id FROM projects) GROUP BY project_id;
                  RETURN NULL;
                END $$;

                -- A task's sheet follows it into another project (an import's publish moves its tasks out of the staging project).
                CREATE FUNCTION tasks_sheets_follow_project() RETURNS trigger LANGUAGE plpgsql {Plan} AS $$
                BEGIN
                  UPDATE score_sheets s SET project_id = n.project_id FROM new_rows n WHERE s.task_id = n.id AND s.project_id <> n.project_id;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER tasks_sheets_follow_project AFTER UPDATE ON tasks REFERENCING NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION tasks_sheets_follow_project();

                -- The database, not the writer, says what a new sheet's ground truth is (the import writes annotations first).
                CREATE FUNCTION score_sheets_ground_truth_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  NEW.ground_truth_annotation_id := (SELECT id FROM annotations WHERE task_id = NEW.task_id AND ground_truth);
                  NEW.has_ground_truth := NEW.ground_truth_annotation_id IS NOT NULL;
                  RETURN NEW;
                END $$;
                CREATE TRIGGER score_sheets_ground_truth_on_insert BEFORE INSERT ON score_sheets
                  FOR EACH ROW EXECUTE FUNCTION score_sheets_ground_truth_on_insert();

                -- Ground truths per project, counted from the sheets (a project being deleted takes its totals with it).
                CREATE FUNCTION score_sheets_totals_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                  SELECT project_id, 0, COUNT(*), 0, 0, 0, 0 FROM new_rows WHERE has_ground_truth GROUP BY project_id;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER score_sheets_totals_after_insert AFTER INSERT ON score_sheets REFERENCING NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION score_sheets_totals_after_insert();

                CREATE FUNCTION score_sheets_totals_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                  SELECT project_id, 0, SUM(ground_truths), 0, 0, 0, 0
                  FROM (SELECT project_id, 1 AS ground_truths FROM new_rows WHERE has_ground_truth
                        UNION ALL SELECT project_id, -1 FROM old_rows WHERE has_ground_truth) d
                  WHERE project_id IN (SELECT id FROM projects)
                  GROUP BY project_id HAVING SUM(ground_truths) <> 0;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER score_sheets_totals_after_update AFTER UPDATE ON score_sheets REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION score_sheets_totals_after_update();

                CREATE FUNCTION score_sheets_totals_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                  SELECT project_id, 0, -COUNT(*), 0, 0, 0, 0 FROM old_rows
                  WHERE has_ground_truth AND project_id IN (SELECT id FROM projects) GROUP BY project_id;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER score_sheets_totals_after_delete AFTER DELETE ON score_sheets REFERENCING OLD TABLE AS old_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION score_sheets_totals_after_delete();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION score_sheets_totals_after_delete() CASCADE;
                DROP FUNCTION score_sheets_totals_after_update() CASCADE;
                DROP FUNCTION score_sheets_totals_after_insert() CASCADE;
                DROP FUNCTION score_sheets_ground_truth_on_insert() CASCADE;
                DROP FUNCTION tasks_sheets_follow_project() CASCADE;
                """);
            migrationBuilder.DropIndex(name: "IX_score_sheets_project_id_agreement_task_id", table: "score_sheets");
            migrationBuilder.DropIndex(name: "IX_score_sheets_project_id_has_ground_truth_task_id", table: "score_sheets");
            migrationBuilder.DropIndex(name: "IX_score_sheets_project_id_min_accuracy_task_id", table: "score_sheets");
            migrationBuilder.AddColumn<double>(name: "agreement", table: "tasks", type: "double precision", nullable: true);
            migrationBuilder.AddColumn<long>(name: "ground_truth_annotation_id", table: "tasks", type: "bigint", nullable: true);
            migrationBuilder.AddColumn<bool>(name: "has_ground_truth", table: "tasks", type: "boolean", nullable: false, defaultValue: false);
            migrationBuilder.AddColumn<double>(name: "min_accuracy", table: "tasks", type: "double precision", nullable: true);
            migrationBuilder.Sql("""
                UPDATE tasks t SET has_ground_truth = s.has_ground_truth, ground_truth_annotation_id = s.ground_truth_annotation_id,
                  agreement = s.agreement, min_accuracy = s.min_accuracy
                FROM score_sheets s WHERE s.task_id = t.id;
                """);
            migrationBuilder.DropColumn(name: "agreement", table: "score_sheets");
            migrationBuilder.DropColumn(name: "ground_truth_annotation_id", table: "score_sheets");
            migrationBuilder.DropColumn(name: "has_ground_truth", table: "score_sheets");
            migrationBuilder.DropColumn(name: "min_accuracy", table: "score_sheets");
            migrationBuilder.DropColumn(name: "project_id", table: "score_sheets");
            migrationBuilder.CreateIndex(name: "IX_tasks_project_id_agreement_id", table: "tasks", columns: ["project_id", "agreement", "id"]);
            migrationBuilder.CreateIndex(name: "IX_tasks_project_id_has_ground_truth_id", table: "tasks", columns: ["project_id", "has_ground_truth", "id"]);
            migrationBuilder.CreateIndex(name: "IX_tasks_project_id_min_accuracy_id", table: "tasks", columns: ["project_id", "min_accuracy", "id"]);

            // The functions as they were before, as the schema file had them.
            migrationBuilder.Sql("""
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
                END $function$;

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
                END $function$;

                CREATE OR REPLACE FUNCTION public.tasks_before_insert()
                 RETURNS trigger
                 LANGUAGE plpgsql
                AS $function$
                BEGIN
                  SELECT COUNT(*) FILTER (WHERE NOT was_cancelled), COUNT(*) FILTER (WHERE was_cancelled), MAX(id) FILTER (WHERE ground_truth),
                      MAX(created_at) FILTER (WHERE NOT was_cancelled)
                    INTO NEW.total_annotations, NEW.cancelled_annotations, NEW.ground_truth_annotation_id, NEW.completed_at
                    FROM annotations WHERE task_id = NEW.id;
                  NEW.has_ground_truth := NEW.ground_truth_annotation_id IS NOT NULL;
                  SELECT COUNT(*), AVG(score) INTO NEW.total_predictions, NEW.prediction_score FROM predictions WHERE task_id = NEW.id;
                  RETURN NEW;
                END $function$;

                CREATE OR REPLACE FUNCTION public.tasks_totals_after_delete()
                 RETURNS trigger
                 LANGUAGE plpgsql
                AS $function$
                BEGIN
                  INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                  SELECT project_id, -COUNT(*), -COUNT(*) FILTER (WHERE has_ground_truth), -COUNT(*) FILTER (WHERE total_annotations > 0),
                    -SUM(total_annotations), -SUM(cancelled_annotations), -SUM(total_predictions)
                  FROM old_rows WHERE project_id IN (SELECT id FROM projects) GROUP BY project_id;
                  RETURN NULL;
                END $function$;

                CREATE OR REPLACE FUNCTION public.tasks_totals_after_insert()
                 RETURNS trigger
                 LANGUAGE plpgsql
                AS $function$
                BEGIN
                  INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                  SELECT project_id, COUNT(*), COUNT(*) FILTER (WHERE has_ground_truth), COUNT(*) FILTER (WHERE total_annotations > 0),
                    SUM(total_annotations), SUM(cancelled_annotations), SUM(total_predictions)
                  FROM new_rows GROUP BY project_id;
                  RETURN NULL;
                END $function$;

                CREATE OR REPLACE FUNCTION public.tasks_totals_after_update()
                 RETURNS trigger
                 LANGUAGE plpgsql
                AS $function$
                BEGIN
                  INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                  SELECT project_id, SUM(tasks), SUM(ground_truths), SUM(annotated_tasks), SUM(annotations), SUM(cancelled_annotations), SUM(predictions)
                  FROM (
                    SELECT project_id, 1 AS tasks, CAST(has_ground_truth AS integer) AS ground_truths, CAST(total_annotations > 0 AS integer) AS annotated_tasks,
                      total_annotations AS annotations, cancelled_annotations, total_predictions AS predictions
                    FROM new_rows
                    UNION ALL
                    SELECT project_id, -1, -CAST(has_ground_truth AS integer), -CAST(total_annotations > 0 AS integer),
                      -total_annotations, -cancelled_annotations, -total_predictions
                    FROM old_rows
                  ) d
                  GROUP BY project_id
                  HAVING SUM(tasks) <> 0 OR SUM(ground_truths) <> 0 OR SUM(annotated_tasks) <> 0 OR SUM(annotations) <> 0
                    OR SUM(cancelled_annotations) <> 0 OR SUM(predictions) <> 0;
                  RETURN NULL;
                END $function$;
                """);
        }
    }
}
