-- The schema of a freshly migrated Sqlite database: tables, indexes, constraints and triggers.
-- Generated from the live database and held to the migrations by SchemaFileTests; rewrite it with
-- GROUNDTRUTH_WRITE_SCHEMA=1 GROUNDTRUTH_TEST_PROVIDER=Sqlite dotnet test --filter SchemaFileTests

CREATE TABLE "annotation_results" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_annotation_results" PRIMARY KEY,
    "result" TEXT NOT NULL,
    "extra" TEXT NULL,
    CONSTRAINT "FK_annotation_results_annotations_id" FOREIGN KEY ("id") REFERENCES "annotations" ("id") ON DELETE CASCADE
);

CREATE TABLE "annotations" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_annotations" PRIMARY KEY AUTOINCREMENT,
    "task_id" INTEGER NOT NULL,
    "member_id" INTEGER NOT NULL,
    "external_id" INTEGER NULL,
    "was_cancelled" INTEGER NOT NULL,
    "ground_truth" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "lead_time" REAL NULL,
    CONSTRAINT "ck_annotations_cancelled_not_ground_truth" CHECK (NOT (ground_truth AND was_cancelled)),
    CONSTRAINT "FK_annotations_members_member_id" FOREIGN KEY ("member_id") REFERENCES "members" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_annotations_tasks_task_id" FOREIGN KEY ("task_id") REFERENCES "tasks" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_annotations_member_id_task_id" ON "annotations" ("member_id", "task_id");
CREATE INDEX "IX_annotations_task_id_member_id_was_cancelled_updated_at_id" ON "annotations" ("task_id", "member_id", "was_cancelled", "updated_at", "id");
CREATE UNIQUE INDEX "ux_annotations_one_ground_truth_per_task" ON "annotations" ("task_id") WHERE ground_truth = 1;
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
    min_accuracy = CASE WHEN NEW.ground_truth
      THEN (SELECT json_extract(c.scores, '$.min."' || NEW.id || '"') FROM score_comparisons c WHERE c.task_id = NEW.task_id) END
  WHERE task_id = NEW.task_id AND OLD.ground_truth <> NEW.ground_truth;
END;

CREATE TABLE "api_tokens" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_api_tokens" PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "last_used_at" TEXT NULL,
    "revoked_at" TEXT NULL,
    CONSTRAINT "FK_api_tokens_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "IX_api_tokens_hash" ON "api_tokens" ("hash");
CREATE INDEX "IX_api_tokens_user_id" ON "api_tokens" ("user_id");

CREATE TABLE "data_protection_keys" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_data_protection_keys" PRIMARY KEY AUTOINCREMENT,
    "friendly_name" TEXT NULL,
    "xml" TEXT NULL
);

CREATE TABLE "export_parts" (
    "snapshot_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    CONSTRAINT "PK_export_parts" PRIMARY KEY ("snapshot_id", "position"),
    CONSTRAINT "FK_export_parts_export_snapshots_snapshot_id" FOREIGN KEY ("snapshot_id") REFERENCES "export_snapshots" ("id") ON DELETE CASCADE
);

CREATE TABLE "export_snapshots" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_export_snapshots" PRIMARY KEY AUTOINCREMENT,
    "project_id" INTEGER NOT NULL,
    "job_id" INTEGER NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "options" TEXT NOT NULL,
    "created_by_user_id" INTEGER NULL,
    "created_at" TEXT NOT NULL,
    "finished_at" TEXT NULL,
    "task_count" INTEGER NOT NULL,
    "annotation_count" INTEGER NOT NULL,
    "prediction_count" INTEGER NOT NULL,
    CONSTRAINT "ck_export_snapshots_status" CHECK (status IN ('created', 'in_progress', 'failed', 'completed')),
    CONSTRAINT "FK_export_snapshots_jobs_job_id" FOREIGN KEY ("job_id") REFERENCES "jobs" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_export_snapshots_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_export_snapshots_users_created_by_user_id" FOREIGN KEY ("created_by_user_id") REFERENCES "users" ("id") ON DELETE SET NULL
);
CREATE INDEX "IX_export_snapshots_created_by_user_id" ON "export_snapshots" ("created_by_user_id");
CREATE INDEX "IX_export_snapshots_job_id" ON "export_snapshots" ("job_id");
CREATE INDEX "IX_export_snapshots_project_id_id" ON "export_snapshots" ("project_id", "id");

CREATE TABLE "ground_truth_changes" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_ground_truth_changes" PRIMARY KEY AUTOINCREMENT,
    "task_id" INTEGER NOT NULL,
    "annotation_id" INTEGER NOT NULL,
    "previous_annotation_id" INTEGER NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "changed_by" TEXT NULL,
    "changed_at" TEXT NOT NULL,
    CONSTRAINT "FK_ground_truth_changes_tasks_task_id" FOREIGN KEY ("task_id") REFERENCES "tasks" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_ground_truth_changes_task_id_id" ON "ground_truth_changes" ("task_id", "id");

CREATE TABLE "import_rows" (
    "job_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "task" TEXT NOT NULL,
    CONSTRAINT "PK_import_rows" PRIMARY KEY ("job_id", "position"),
    CONSTRAINT "FK_import_rows_jobs_job_id" FOREIGN KEY ("job_id") REFERENCES "jobs" ("id") ON DELETE CASCADE
);

CREATE TABLE "jobs" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_jobs" PRIMARY KEY AUTOINCREMENT,
    "cancel_requested" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_by_role" TEXT NOT NULL,
    "created_by_user_id" INTEGER NOT NULL,
    "cursor" INTEGER NOT NULL,
    "done" INTEGER NOT NULL,
    "error" TEXT NULL,
    "finished_at" TEXT NULL,
    "kind" TEXT NOT NULL,
    "lease_owner" TEXT NULL,
    "lease_until" TEXT NULL,
    "parameters" TEXT NOT NULL,
    "project_id" INTEGER NOT NULL,
    "result" TEXT NULL,
    "state" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "updated_at" TEXT NOT NULL,
    "upload_until" TEXT NULL,
    CONSTRAINT "ck_jobs_state" CHECK (state IN ('Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled')),
    CONSTRAINT "FK_jobs_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_jobs_project_id_id" ON "jobs" ("project_id", "id");
CREATE INDEX "IX_jobs_state_id" ON "jobs" ("state", "id");

CREATE TABLE "members" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_members" PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL
);
CREATE UNIQUE INDEX "IX_members_email" ON "members" ("email");

CREATE TABLE "predictions" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_predictions" PRIMARY KEY AUTOINCREMENT,
    "task_id" INTEGER NOT NULL,
    "external_id" INTEGER NULL,
    "model_version" TEXT NOT NULL,
    "score" REAL NULL,
    "result" TEXT NOT NULL,
    "created_at" TEXT NOT NULL, "extra" TEXT NULL,
    CONSTRAINT "FK_predictions_tasks_task_id" FOREIGN KEY ("task_id") REFERENCES "tasks" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_predictions_task_id_model_version" ON "predictions" ("task_id", "model_version");
CREATE TRIGGER predictions_after_delete AFTER DELETE ON predictions BEGIN
  UPDATE tasks SET total_predictions = total_predictions - 1,
    prediction_score = (SELECT AVG(p.score) FROM predictions p WHERE p.task_id = OLD.task_id)
  WHERE id = OLD.task_id;
END;
CREATE TRIGGER predictions_after_insert AFTER INSERT ON predictions BEGIN
  UPDATE tasks SET total_predictions = total_predictions + 1,
    prediction_score = (SELECT AVG(p.score) FROM predictions p WHERE p.task_id = NEW.task_id)
  WHERE id = NEW.task_id;
END;
CREATE TRIGGER predictions_after_update AFTER UPDATE OF score, task_id ON predictions BEGIN
  UPDATE tasks SET prediction_score = (SELECT AVG(p.score) FROM predictions p WHERE p.task_id = tasks.id)
  WHERE id IN (OLD.task_id, NEW.task_id);
END;

CREATE TABLE "project_memberships" (
    "project_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    CONSTRAINT "PK_project_memberships" PRIMARY KEY ("project_id", "user_id"),
    CONSTRAINT "FK_project_memberships_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_project_memberships_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_project_memberships_user_id" ON "project_memberships" ("user_id");

CREATE TABLE "project_totals" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_project_totals" PRIMARY KEY AUTOINCREMENT,
    "project_id" INTEGER NOT NULL,
    "tasks" INTEGER NOT NULL,
    "ground_truths" INTEGER NOT NULL,
    "annotated_tasks" INTEGER NOT NULL,
    "annotations" INTEGER NOT NULL,
    "cancelled_annotations" INTEGER NOT NULL,
    "predictions" INTEGER NOT NULL,
    CONSTRAINT "FK_project_totals_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_project_totals_project_id" ON "project_totals" ("project_id");

CREATE TABLE "projects" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_projects" PRIMARY KEY AUTOINCREMENT,
    "created_at" TEXT NOT NULL,
    "import_for_project_id" INTEGER NULL,
    "scoring_settings" TEXT NULL,
    "title" TEXT NOT NULL,
    CONSTRAINT "FK_projects_projects_import_for_project_id" FOREIGN KEY ("import_for_project_id") REFERENCES "projects" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_projects_import_for_project_id" ON "projects" ("import_for_project_id");
CREATE TRIGGER projects_after_insert AFTER INSERT ON projects BEGIN
  INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
    VALUES (NEW.id, 0, 0, 0, 0, 0, 0);
END;

CREATE TABLE "role_claims" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_role_claims" PRIMARY KEY AUTOINCREMENT,
    "role_id" INTEGER NOT NULL,
    "claim_type" TEXT NULL,
    "claim_value" TEXT NULL,
    CONSTRAINT "FK_role_claims_roles_role_id" FOREIGN KEY ("role_id") REFERENCES "roles" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_role_claims_role_id" ON "role_claims" ("role_id");

CREATE TABLE "roles" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_roles" PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NULL,
    "normalized_name" TEXT NULL,
    "concurrency_stamp" TEXT NULL
);
CREATE UNIQUE INDEX "RoleNameIndex" ON "roles" ("normalized_name");

CREATE TABLE "score_comparisons" (
    "task_id" INTEGER NOT NULL CONSTRAINT "PK_score_comparisons" PRIMARY KEY,
    "scores" TEXT NOT NULL,
    CONSTRAINT "FK_score_comparisons_tasks_task_id" FOREIGN KEY ("task_id") REFERENCES "tasks" ("id") ON DELETE CASCADE
);

CREATE TABLE "score_sheets" (
    "task_id" INTEGER NOT NULL CONSTRAINT "PK_score_sheets" PRIMARY KEY,
    "project_id" INTEGER NOT NULL DEFAULT 0, "has_ground_truth" INTEGER NOT NULL DEFAULT 0, "ground_truth_annotation_id" INTEGER NULL, "agreement" REAL NULL, "min_accuracy" REAL NULL,
    CONSTRAINT "FK_score_sheets_tasks_task_id" FOREIGN KEY ("task_id") REFERENCES "tasks" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_score_sheets_project_id_agreement_task_id" ON "score_sheets" ("project_id", "agreement", "task_id");
CREATE INDEX "IX_score_sheets_project_id_has_ground_truth_task_id" ON "score_sheets" ("project_id", "has_ground_truth", "task_id");
CREATE INDEX "IX_score_sheets_project_id_min_accuracy_task_id" ON "score_sheets" ("project_id", "min_accuracy", "task_id");
CREATE TRIGGER score_sheets_ground_truth_on_insert AFTER INSERT ON score_sheets BEGIN
  UPDATE score_sheets SET
    ground_truth_annotation_id = (SELECT id FROM annotations WHERE task_id = NEW.task_id AND ground_truth = 1),
    has_ground_truth = EXISTS (SELECT 1 FROM annotations WHERE task_id = NEW.task_id AND ground_truth = 1)
  WHERE task_id = NEW.task_id;
END;
CREATE TRIGGER score_sheets_totals_after_delete AFTER DELETE ON score_sheets WHEN OLD.has_ground_truth BEGIN
  UPDATE project_totals SET ground_truths = ground_truths - 1 WHERE project_id = OLD.project_id;
END;
CREATE TRIGGER score_sheets_totals_after_insert AFTER INSERT ON score_sheets WHEN NEW.has_ground_truth BEGIN
  UPDATE project_totals SET ground_truths = ground_truths + 1 WHERE project_id = NEW.project_id;
END;
CREATE TRIGGER score_sheets_totals_after_update AFTER UPDATE OF project_id, has_ground_truth ON score_sheets
WHEN OLD.project_id <> NEW.project_id OR OLD.has_ground_truth <> NEW.has_ground_truth
BEGIN
  UPDATE project_totals SET ground_truths = ground_truths - OLD.has_ground_truth WHERE project_id = OLD.project_id;
  UPDATE project_totals SET ground_truths = ground_truths + NEW.has_ground_truth WHERE project_id = NEW.project_id;
END;

CREATE TABLE "tasks" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_tasks" PRIMARY KEY AUTOINCREMENT,
    "project_id" INTEGER NOT NULL,
    "external_id" INTEGER NULL,
    "inner_id" INTEGER NOT NULL,
    "data" TEXT NOT NULL,
    "meta" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "total_annotations" INTEGER NOT NULL,
    "cancelled_annotations" INTEGER NOT NULL,
    "total_predictions" INTEGER NOT NULL,
    "extra" TEXT NULL, "completed_at" TEXT NULL, "prediction_score" REAL NULL,
    CONSTRAINT "FK_tasks_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_tasks_project_id_cancelled_annotations_id" ON "tasks" ("project_id", "cancelled_annotations", "id");
CREATE INDEX "IX_tasks_project_id_completed_at_id" ON "tasks" ("project_id", "completed_at", "id");
CREATE INDEX "IX_tasks_project_id_created_at_id" ON "tasks" ("project_id", "created_at", "id");
CREATE INDEX "IX_tasks_project_id_external_id" ON "tasks" ("project_id", "external_id");
CREATE INDEX "IX_tasks_project_id_id" ON "tasks" ("project_id", "id");
CREATE UNIQUE INDEX "IX_tasks_project_id_inner_id" ON "tasks" ("project_id", "inner_id");
CREATE INDEX "IX_tasks_project_id_prediction_score_id" ON "tasks" ("project_id", "prediction_score", "id");
CREATE INDEX "IX_tasks_project_id_total_annotations_id" ON "tasks" ("project_id", "total_annotations", "id");
CREATE INDEX "IX_tasks_project_id_total_predictions_id" ON "tasks" ("project_id", "total_predictions", "id");
CREATE INDEX "IX_tasks_project_id_updated_at_id" ON "tasks" ("project_id", "updated_at", "id");
CREATE TRIGGER tasks_after_insert AFTER INSERT ON tasks BEGIN
  UPDATE tasks SET
    total_annotations = (SELECT COUNT(*) FROM annotations WHERE task_id = NEW.id AND was_cancelled = 0),
    cancelled_annotations = (SELECT COUNT(*) FROM annotations WHERE task_id = NEW.id AND was_cancelled = 1),
    total_predictions = (SELECT COUNT(*) FROM predictions WHERE task_id = NEW.id),
    completed_at = (SELECT MAX(created_at) FROM annotations WHERE task_id = NEW.id AND was_cancelled = 0),
    prediction_score = (SELECT AVG(score) FROM predictions WHERE task_id = NEW.id)
  WHERE id = NEW.id;
END;
CREATE TRIGGER tasks_sheets_follow_project AFTER UPDATE OF project_id ON tasks WHEN OLD.project_id <> NEW.project_id BEGIN
  UPDATE score_sheets SET project_id = NEW.project_id WHERE task_id = NEW.id;
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

CREATE TABLE "user_claims" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_user_claims" PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
    "claim_type" TEXT NULL,
    "claim_value" TEXT NULL,
    CONSTRAINT "FK_user_claims_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_user_claims_user_id" ON "user_claims" ("user_id");

CREATE TABLE "user_logins" (
    "login_provider" TEXT NOT NULL,
    "provider_key" TEXT NOT NULL,
    "provider_display_name" TEXT NULL,
    "user_id" INTEGER NOT NULL,
    CONSTRAINT "PK_user_logins" PRIMARY KEY ("login_provider", "provider_key"),
    CONSTRAINT "FK_user_logins_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_user_logins_user_id" ON "user_logins" ("user_id");

CREATE TABLE "user_roles" (
    "user_id" INTEGER NOT NULL,
    "role_id" INTEGER NOT NULL,
    CONSTRAINT "PK_user_roles" PRIMARY KEY ("user_id", "role_id"),
    CONSTRAINT "FK_user_roles_roles_role_id" FOREIGN KEY ("role_id") REFERENCES "roles" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_user_roles_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_user_roles_role_id" ON "user_roles" ("role_id");

CREATE TABLE "user_tokens" (
    "user_id" INTEGER NOT NULL,
    "login_provider" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NULL,
    CONSTRAINT "PK_user_tokens" PRIMARY KEY ("user_id", "login_provider", "name"),
    CONSTRAINT "FK_user_tokens_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);

CREATE TABLE "users" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_users" PRIMARY KEY AUTOINCREMENT,
    "display_name" TEXT NOT NULL,
    "user_name" TEXT NULL,
    "normalized_user_name" TEXT NULL,
    "email" TEXT NULL,
    "normalized_email" TEXT NULL,
    "email_confirmed" INTEGER NOT NULL,
    "password_hash" TEXT NULL,
    "security_stamp" TEXT NULL,
    "concurrency_stamp" TEXT NULL,
    "phone_number" TEXT NULL,
    "phone_number_confirmed" INTEGER NOT NULL,
    "two_factor_enabled" INTEGER NOT NULL,
    "lockout_end" TEXT NULL,
    "lockout_enabled" INTEGER NOT NULL,
    "access_failed_count" INTEGER NOT NULL
);
CREATE INDEX "EmailIndex" ON "users" ("normalized_email");
CREATE UNIQUE INDEX "UserNameIndex" ON "users" ("normalized_user_name");

CREATE TABLE "views" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_views" PRIMARY KEY AUTOINCREMENT,
    "project_id" INTEGER NOT NULL,
    "user_id" INTEGER NULL,
    "position" INTEGER NULL,
    "data" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "FK_views_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_views_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE SET NULL
);
CREATE INDEX "IX_views_project_id_position_id" ON "views" ("project_id", "position", "id");
CREATE INDEX "IX_views_user_id" ON "views" ("user_id");

