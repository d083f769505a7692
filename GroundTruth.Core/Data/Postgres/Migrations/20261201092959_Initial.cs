using System;
using GroundTruth.Core.Scoring;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GroundTruth.Core.Data.Postgres.Migrations
{
    /// <summary>
    /// The whole schema on PostgreSQL, as SQLite reached it through its migrations, with the triggers in PL/pgSQL. What it
    /// guarantees is in <c>Data/Schema/postgres.sql</c>.
    /// </summary>
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "members",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    email = table.Column<string>(type: "text", nullable: false),
                    display_name = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_members", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "projects",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    scoring_settings = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_projects", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "roles",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_roles", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    display_name = table.Column<string>(type: "text", nullable: false),
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    password_hash = table.Column<string>(type: "text", nullable: true),
                    security_stamp = table.Column<string>(type: "text", nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true),
                    phone_number = table.Column<string>(type: "text", nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    lockout_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    access_failed_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tasks",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    external_id = table.Column<long>(type: "bigint", nullable: true),
                    inner_id = table.Column<long>(type: "bigint", nullable: false),
                    data = table.Column<string>(type: "text", nullable: false),
                    meta = table.Column<string>(type: "text", nullable: true),
                    extra = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    total_annotations = table.Column<int>(type: "integer", nullable: false),
                    cancelled_annotations = table.Column<int>(type: "integer", nullable: false),
                    total_predictions = table.Column<int>(type: "integer", nullable: false),
                    has_ground_truth = table.Column<bool>(type: "boolean", nullable: false),
                    ground_truth_annotation_id = table.Column<long>(type: "bigint", nullable: true),
                    agreement = table.Column<double>(type: "double precision", nullable: true),
                    min_accuracy = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tasks", x => x.id);
                    table.ForeignKey(
                        name: "FK_tasks_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "role_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    role_id = table.Column<long>(type: "bigint", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_role_claims", x => x.id);
                    table.ForeignKey(
                        name: "FK_role_claims_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "roles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "api_tokens",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    prefix = table.Column<string>(type: "text", nullable: false),
                    hash = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_used_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_tokens", x => x.id);
                    table.ForeignKey(
                        name: "FK_api_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "project_memberships",
                columns: table => new
                {
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_project_memberships", x => new { x.project_id, x.user_id });
                    table.ForeignKey(
                        name: "FK_project_memberships_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_project_memberships_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_claims", x => x.id);
                    table.ForeignKey(
                        name: "FK_user_claims_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_logins",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    provider_key = table.Column<string>(type: "text", nullable: false),
                    provider_display_name = table.Column<string>(type: "text", nullable: true),
                    user_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_logins", x => new { x.login_provider, x.provider_key });
                    table.ForeignKey(
                        name: "FK_user_logins_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_roles",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    role_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_roles", x => new { x.user_id, x.role_id });
                    table.ForeignKey(
                        name: "FK_user_roles_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "roles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_user_roles_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_tokens",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                    table.ForeignKey(
                        name: "FK_user_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "annotations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    task_id = table.Column<long>(type: "bigint", nullable: false),
                    member_id = table.Column<long>(type: "bigint", nullable: false),
                    external_id = table.Column<long>(type: "bigint", nullable: true),
                    was_cancelled = table.Column<bool>(type: "boolean", nullable: false),
                    ground_truth = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    lead_time = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_annotations", x => x.id);
                    table.CheckConstraint("ck_annotations_cancelled_not_ground_truth", "NOT (ground_truth AND was_cancelled)");
                    table.ForeignKey(
                        name: "FK_annotations_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_annotations_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ground_truth_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    task_id = table.Column<long>(type: "bigint", nullable: false),
                    annotation_id = table.Column<long>(type: "bigint", nullable: false),
                    previous_annotation_id = table.Column<long>(type: "bigint", nullable: true),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    changed_by = table.Column<string>(type: "text", nullable: true),
                    changed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ground_truth_changes", x => x.id);
                    table.ForeignKey(
                        name: "FK_ground_truth_changes_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "predictions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    task_id = table.Column<long>(type: "bigint", nullable: false),
                    external_id = table.Column<long>(type: "bigint", nullable: true),
                    model_version = table.Column<string>(type: "text", nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: true),
                    result = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    extra = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_predictions", x => x.id);
                    table.ForeignKey(
                        name: "FK_predictions_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "score_sheets",
                columns: table => new
                {
                    task_id = table.Column<long>(type: "bigint", nullable: false),
                    scores = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_score_sheets", x => x.task_id);
                    table.ForeignKey(
                        name: "FK_score_sheets_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "annotation_results",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    result = table.Column<string>(type: "text", nullable: false),
                    extra = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_annotation_results", x => x.id);
                    table.ForeignKey(
                        name: "FK_annotation_results_annotations_id",
                        column: x => x.id,
                        principalTable: "annotations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_annotations_member_id_task_id",
                table: "annotations",
                columns: new[] { "member_id", "task_id" });

            migrationBuilder.CreateIndex(
                name: "IX_annotations_task_id_member_id_was_cancelled_updated_at",
                table: "annotations",
                columns: new[] { "task_id", "member_id", "was_cancelled", "updated_at" });

            migrationBuilder.CreateIndex(
                name: "ux_annotations_one_ground_truth_per_task",
                table: "annotations",
                column: "task_id",
                unique: true,
                filter: "ground_truth");

            migrationBuilder.CreateIndex(
                name: "IX_api_tokens_hash",
                table: "api_tokens",
                column: "hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_api_tokens_user_id",
                table: "api_tokens",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_ground_truth_changes_task_id_id",
                table: "ground_truth_changes",
                columns: new[] { "task_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_members_email",
                table: "members",
                column: "email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_predictions_task_id_model_version",
                table: "predictions",
                columns: new[] { "task_id", "model_version" });

            migrationBuilder.CreateIndex(
                name: "IX_project_memberships_user_id",
                table: "project_memberships",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_role_claims_role_id",
                table: "role_claims",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "roles",
                column: "normalized_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_agreement_id",
                table: "tasks",
                columns: new[] { "project_id", "agreement", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_cancelled_annotations_id",
                table: "tasks",
                columns: new[] { "project_id", "cancelled_annotations", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_created_at_id",
                table: "tasks",
                columns: new[] { "project_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_external_id",
                table: "tasks",
                columns: new[] { "project_id", "external_id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_has_ground_truth_id",
                table: "tasks",
                columns: new[] { "project_id", "has_ground_truth", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_id",
                table: "tasks",
                columns: new[] { "project_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_inner_id",
                table: "tasks",
                columns: new[] { "project_id", "inner_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_min_accuracy_id",
                table: "tasks",
                columns: new[] { "project_id", "min_accuracy", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_total_annotations_id",
                table: "tasks",
                columns: new[] { "project_id", "total_annotations", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_total_predictions_id",
                table: "tasks",
                columns: new[] { "project_id", "total_predictions", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_tasks_project_id_updated_at_id",
                table: "tasks",
                columns: new[] { "project_id", "updated_at", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_user_claims_user_id",
                table: "user_claims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_user_logins_user_id",
                table: "user_logins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_user_roles_role_id",
                table: "user_roles",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "users",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "users",
                column: "normalized_user_name",
                unique: true);

            // The task's counters and ground-truth columns, kept by the database whatever writes the rows (as on SQLite).
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

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var name in new[] { "annotations_after_insert", "annotations_after_update", "annotations_after_delete", "predictions_after_insert", "predictions_after_delete" })
            {
                migrationBuilder.Sql($"DROP FUNCTION IF EXISTS {name}() CASCADE;");
            }

            migrationBuilder.DropTable(
                name: "annotation_results");

            migrationBuilder.DropTable(
                name: "api_tokens");

            migrationBuilder.DropTable(
                name: "ground_truth_changes");

            migrationBuilder.DropTable(
                name: "predictions");

            migrationBuilder.DropTable(
                name: "project_memberships");

            migrationBuilder.DropTable(
                name: "role_claims");

            migrationBuilder.DropTable(
                name: "score_sheets");

            migrationBuilder.DropTable(
                name: "user_claims");

            migrationBuilder.DropTable(
                name: "user_logins");

            migrationBuilder.DropTable(
                name: "user_roles");

            migrationBuilder.DropTable(
                name: "user_tokens");

            migrationBuilder.DropTable(
                name: "annotations");

            migrationBuilder.DropTable(
                name: "roles");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "members");

            migrationBuilder.DropTable(
                name: "tasks");

            migrationBuilder.DropTable(
                name: "projects");
        }
    }
}
