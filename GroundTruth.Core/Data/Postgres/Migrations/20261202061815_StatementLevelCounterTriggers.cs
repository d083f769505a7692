using GroundTruth.Core.Scoring;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class StatementLevelCounterTriggers : Migration
    {
        private const string DropTriggers = """
            DROP FUNCTION annotations_after_insert() CASCADE;
            DROP FUNCTION annotations_after_update() CASCADE;
            DROP FUNCTION annotations_after_delete() CASCADE;
            DROP FUNCTION predictions_after_insert() CASCADE;
            DROP FUNCTION predictions_after_delete() CASCADE;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // One UPDATE of tasks per statement, from its transition tables, instead of one per annotation: a chunk of an
            // import or a bulk action touches each task row once a statement, and the counts stay the database's to keep.
            migrationBuilder.Sql(DropTriggers);
            migrationBuilder.Sql($"""
                CREATE FUNCTION annotations_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
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
                END $$;
                CREATE TRIGGER annotations_after_insert AFTER INSERT ON annotations REFERENCING NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION annotations_after_insert();

                -- Only rows whose flags changed count (a statement trigger cannot name its columns). The lowest accuracy
                -- follows the flag: read off the score sheet for the new ground truth, gone with the old one.
                CREATE FUNCTION annotations_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE tasks t SET
                    total_annotations = t.total_annotations + d.counted,
                    cancelled_annotations = t.cancelled_annotations + d.cancelled,
                    has_ground_truth = CASE WHEN d.set_to IS NOT NULL THEN TRUE WHEN d.unset THEN FALSE ELSE t.has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN d.set_to IS NOT NULL THEN d.set_to WHEN d.unset THEN NULL ELSE t.ground_truth_annotation_id END,
                    min_accuracy = CASE
                      WHEN d.set_to IS NOT NULL THEN (SELECT {PostgresDialect.Instance.JsonNumber("s.scores", ScoreSheet.MinKey, "d.set_to")} FROM score_sheets s WHERE s.task_id = t.id)
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
                END $$;
                CREATE TRIGGER annotations_after_update AFTER UPDATE ON annotations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION annotations_after_update();

                CREATE FUNCTION annotations_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
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
                END $$;
                CREATE TRIGGER annotations_after_delete AFTER DELETE ON annotations REFERENCING OLD TABLE AS old_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION annotations_after_delete();

                CREATE FUNCTION predictions_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE tasks t SET total_predictions = t.total_predictions + d.added
                  FROM (SELECT task_id, COUNT(*) AS added FROM new_rows GROUP BY task_id) d WHERE t.id = d.task_id;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER predictions_after_insert AFTER INSERT ON predictions REFERENCING NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION predictions_after_insert();

                CREATE FUNCTION predictions_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE tasks t SET total_predictions = t.total_predictions - d.removed
                  FROM (SELECT task_id, COUNT(*) AS removed FROM old_rows GROUP BY task_id) d WHERE t.id = d.task_id;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER predictions_after_delete AFTER DELETE ON predictions REFERENCING OLD TABLE AS old_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION predictions_after_delete();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to the row triggers of the initial migration.
            migrationBuilder.Sql(DropTriggers);
            migrationBuilder.Sql($"""
                CREATE FUNCTION annotations_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations + CASE WHEN NEW.was_cancelled THEN 0 ELSE 1 END,
                    cancelled_annotations = cancelled_annotations + CASE WHEN NEW.was_cancelled THEN 1 ELSE 0 END,
                    has_ground_truth = CASE WHEN NEW.ground_truth THEN TRUE ELSE has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN NEW.ground_truth THEN NEW.id ELSE ground_truth_annotation_id END
                  WHERE id = NEW.task_id;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER annotations_after_insert AFTER INSERT ON annotations FOR EACH ROW EXECUTE FUNCTION annotations_after_insert();

                -- The lowest accuracy follows the flag: read off the score sheet for the new ground truth, gone with the old one.
                CREATE FUNCTION annotations_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations - CASE WHEN OLD.was_cancelled THEN 0 ELSE 1 END + CASE WHEN NEW.was_cancelled THEN 0 ELSE 1 END,
                    cancelled_annotations = cancelled_annotations - CASE WHEN OLD.was_cancelled THEN 1 ELSE 0 END + CASE WHEN NEW.was_cancelled THEN 1 ELSE 0 END,
                    has_ground_truth = CASE WHEN NEW.ground_truth THEN TRUE WHEN OLD.ground_truth THEN FALSE ELSE has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN NEW.ground_truth THEN NEW.id WHEN OLD.ground_truth THEN NULL ELSE ground_truth_annotation_id END,
                    min_accuracy = CASE
                      WHEN NEW.ground_truth THEN (SELECT {PostgresDialect.Instance.JsonNumber("s.scores", ScoreSheet.MinKey, "NEW.id")} FROM score_sheets s WHERE s.task_id = NEW.task_id)
                      WHEN OLD.ground_truth THEN NULL
                      ELSE min_accuracy END
                  WHERE id = NEW.task_id;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER annotations_after_update AFTER UPDATE OF was_cancelled, ground_truth ON annotations FOR EACH ROW EXECUTE FUNCTION annotations_after_update();

                CREATE FUNCTION annotations_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE tasks SET
                    total_annotations = total_annotations - CASE WHEN OLD.was_cancelled THEN 0 ELSE 1 END,
                    cancelled_annotations = cancelled_annotations - CASE WHEN OLD.was_cancelled THEN 1 ELSE 0 END,
                    has_ground_truth = CASE WHEN OLD.ground_truth THEN FALSE ELSE has_ground_truth END,
                    ground_truth_annotation_id = CASE WHEN OLD.ground_truth THEN NULL ELSE ground_truth_annotation_id END
                  WHERE id = OLD.task_id;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER annotations_after_delete AFTER DELETE ON annotations FOR EACH ROW EXECUTE FUNCTION annotations_after_delete();

                CREATE FUNCTION predictions_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE tasks SET total_predictions = total_predictions + 1 WHERE id = NEW.task_id;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER predictions_after_insert AFTER INSERT ON predictions FOR EACH ROW EXECUTE FUNCTION predictions_after_insert();

                CREATE FUNCTION predictions_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE tasks SET total_predictions = total_predictions - 1 WHERE id = OLD.task_id;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER predictions_after_delete AFTER DELETE ON predictions FOR EACH ROW EXECUTE FUNCTION predictions_after_delete();
                """);
        }
    }
}
