using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TasksCountedOnInsert : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A task counts, when it is inserted, the annotations and predictions already written for it (an import writes
            // them first, its foreign keys deferred to the commit): whatever an insert says, the counts are the database's.
            migrationBuilder.Sql("""
                CREATE TRIGGER tasks_after_insert AFTER INSERT ON tasks BEGIN
                  UPDATE tasks SET
                    total_annotations = (SELECT COUNT(*) FROM annotations WHERE task_id = NEW.id AND was_cancelled = 0),
                    cancelled_annotations = (SELECT COUNT(*) FROM annotations WHERE task_id = NEW.id AND was_cancelled = 1),
                    ground_truth_annotation_id = (SELECT MAX(id) FROM annotations WHERE task_id = NEW.id AND ground_truth = 1),
                    has_ground_truth = EXISTS (SELECT 1 FROM annotations WHERE task_id = NEW.id AND ground_truth = 1),
                    total_predictions = (SELECT COUNT(*) FROM predictions WHERE task_id = NEW.id)
                  WHERE id = NEW.id;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER tasks_after_insert;");
        }
    }
}
