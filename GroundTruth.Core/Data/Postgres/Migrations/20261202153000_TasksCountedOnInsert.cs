using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TasksCountedOnInsert : Migration
    {
        private static readonly string[] CounterFunctions =
            ["annotations_after_insert", "annotations_after_update", "annotations_after_delete", "predictions_after_insert", "predictions_after_delete"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A task counts, when it is inserted, the annotations and predictions already written for it; with the two
            // foreign keys deferrable, an import writes a chunk's annotations and predictions first and its tasks last,
            // so each task row is written once, with its counts, instead of once and then updated by every trigger.
            migrationBuilder.Sql("""
                ALTER TABLE annotations ALTER CONSTRAINT "FK_annotations_tasks_task_id" DEFERRABLE INITIALLY IMMEDIATE;
                ALTER TABLE predictions ALTER CONSTRAINT "FK_predictions_tasks_task_id" DEFERRABLE INITIALLY IMMEDIATE;

                CREATE FUNCTION tasks_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  SELECT COUNT(*) FILTER (WHERE NOT was_cancelled), COUNT(*) FILTER (WHERE was_cancelled), MAX(id) FILTER (WHERE ground_truth)
                    INTO NEW.total_annotations, NEW.cancelled_annotations, NEW.ground_truth_annotation_id
                    FROM annotations WHERE task_id = NEW.id;
                  NEW.has_ground_truth := NEW.ground_truth_annotation_id IS NOT NULL;
                  NEW.total_predictions := (SELECT COUNT(*) FROM predictions WHERE task_id = NEW.id);
                  RETURN NEW;
                END $$;
                CREATE TRIGGER tasks_before_insert BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION tasks_before_insert();
                """);

            // A trigger function's plan is kept for the connection's life. Planned while the tasks table was small (early
            // in a first import), the join of the transition table with tasks stayed a scan of every task — 12 ms a
            // statement at 100k tasks, even for a statement that touched none. These functions only ever touch the tasks
            // their rows name: a nested loop over the task key, whatever the statistics said when the plan was made.
            migrationBuilder.Sql(string.Join("\n", CounterFunctions.Select(f => $"ALTER FUNCTION {f}() SET enable_hashjoin = off SET enable_mergejoin = off;")));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION tasks_before_insert() CASCADE;
                """);
            migrationBuilder.Sql(string.Join("\n", CounterFunctions.Select(f => $"ALTER FUNCTION {f}() RESET ALL;")));
            migrationBuilder.Sql("""
                ALTER TABLE annotations ALTER CONSTRAINT "FK_annotations_tasks_task_id" NOT DEFERRABLE;
                ALTER TABLE predictions ALTER CONSTRAINT "FK_predictions_tasks_task_id" NOT DEFERRABLE;
                """);
        }
    }
}
