using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GroundTruth.Core.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ProjectTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "project_totals",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    tasks = table.Column<long>(type: "bigint", nullable: false),
                    ground_truths = table.Column<long>(type: "bigint", nullable: false),
                    annotated_tasks = table.Column<long>(type: "bigint", nullable: false),
                    annotations = table.Column<long>(type: "bigint", nullable: false),
                    cancelled_annotations = table.Column<long>(type: "bigint", nullable: false),
                    predictions = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_project_totals", x => x.id);
                    table.ForeignKey(
                        name: "FK_project_totals_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_project_totals_project_id",
                table: "project_totals",
                column: "project_id");

            // Every project starts with a row of its totals as they are now.
            migrationBuilder.Sql("""
                INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                SELECT p.id, COUNT(t.id), COUNT(t.id) FILTER (WHERE t.has_ground_truth), COUNT(t.id) FILTER (WHERE t.total_annotations > 0),
                  COALESCE(SUM(t.total_annotations), 0), COALESCE(SUM(t.cancelled_annotations), 0), COALESCE(SUM(t.total_predictions), 0)
                FROM projects p LEFT JOIN tasks t ON t.project_id = p.id GROUP BY p.id;
                """);

            // Each statement that changes a project's totals adds one row of its changes per project: no row that every
            // writer in the project locks (see ProjectTotal). An update adds its new rows and subtracts its old ones, so
            // a task that moved project (an import's last chunk) counts in the one it joined, and the many updates that
            // change no total (rescoring, agreement) add nothing. A task deleted with its project counts nowhere.
            migrationBuilder.Sql("""
                CREATE FUNCTION projects_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                    VALUES (NEW.id, 0, 0, 0, 0, 0, 0);
                  RETURN NULL;
                END $$;
                CREATE TRIGGER projects_after_insert AFTER INSERT ON projects FOR EACH ROW EXECUTE FUNCTION projects_after_insert();

                CREATE FUNCTION tasks_totals_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                  SELECT project_id, COUNT(*), COUNT(*) FILTER (WHERE has_ground_truth), COUNT(*) FILTER (WHERE total_annotations > 0),
                    SUM(total_annotations), SUM(cancelled_annotations), SUM(total_predictions)
                  FROM new_rows GROUP BY project_id;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER tasks_totals_after_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION tasks_totals_after_insert();

                CREATE FUNCTION tasks_totals_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
                  SELECT project_id, -COUNT(*), -COUNT(*) FILTER (WHERE has_ground_truth), -COUNT(*) FILTER (WHERE total_annotations > 0),
                    -SUM(total_annotations), -SUM(cancelled_annotations), -SUM(total_predictions)
                  FROM old_rows WHERE project_id IN (SELECT id FROM projects) GROUP BY project_id;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER tasks_totals_after_delete AFTER DELETE ON tasks REFERENCING OLD TABLE AS old_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION tasks_totals_after_delete();

                CREATE FUNCTION tasks_totals_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
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
                END $$;
                CREATE TRIGGER tasks_totals_after_update AFTER UPDATE ON tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION tasks_totals_after_update();
                """);

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION projects_after_insert() CASCADE;
                DROP FUNCTION tasks_totals_after_insert() CASCADE;
                DROP FUNCTION tasks_totals_after_delete() CASCADE;
                DROP FUNCTION tasks_totals_after_update() CASCADE;
                """);

            migrationBuilder.DropTable(
                name: "project_totals");
        }
    }
}
