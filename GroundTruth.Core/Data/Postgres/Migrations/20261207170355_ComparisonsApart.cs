using GroundTruth.Core.Scoring;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ComparisonsApart : Migration
    {
        // As in ScoreColumnsOnTheSheet: these functions only touch the rows their transition tables name.
        private const string Plan = "SET enable_hashjoin = off SET enable_mergejoin = off";

        // A ground-truth change rewrites the task's score sheet row (PostgreSQL writes a whole new row version); with the
        // comparisons' JSON inline that row was some 1.4 KB, now it is the narrow columns alone (a 10,000-task change by
        // hand: about 40 % less time). The comparisons get a table of their own, written only when the results or the
        // scoring settings change; the annotations' update trigger reads the new lowest accuracy there. Existing sheet
        // rows keep the dropped column's bytes until they are next written (or a VACUUM FULL).
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "score_comparisons",
                columns: table => new
                {
                    task_id = table.Column<long>(type: "bigint", nullable: false),
                    scores = table.Column<string>(type: "jsonb", nullable: false)
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
            migrationBuilder.Sql("INSERT INTO score_comparisons (task_id, scores) SELECT task_id, scores FROM score_sheets;");
            migrationBuilder.DropColumn(name: "scores", table: "score_sheets");
            migrationBuilder.Sql($"""
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
                    min_accuracy = (SELECT {PostgresDialect.Instance.JsonNumber("c.scores", ScoreSheet.MinKey, "d.new_ground_truth")}
                      FROM score_comparisons c WHERE c.task_id = s.task_id)
                  FROM d
                  WHERE s.task_id = d.task_id AND d.new_ground_truth IS DISTINCT FROM d.old_ground_truth;
                  RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE score_sheets ADD COLUMN scores jsonb NOT NULL DEFAULT '{}';
                ALTER TABLE score_sheets ALTER COLUMN scores DROP DEFAULT;
                UPDATE score_sheets s SET scores = c.scores FROM score_comparisons c WHERE c.task_id = s.task_id;
                """);
            migrationBuilder.DropTable(name: "score_comparisons");
            migrationBuilder.Sql($"""
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
                    min_accuracy = {PostgresDialect.Instance.JsonNumber("s.scores", ScoreSheet.MinKey, "d.new_ground_truth")}
                  FROM d
                  WHERE s.task_id = d.task_id AND d.new_ground_truth IS DISTINCT FROM d.old_ground_truth;
                  RETURN NULL;
                END $$;
                """);
        }
    }
}
