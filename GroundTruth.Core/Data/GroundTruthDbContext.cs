using System.Text;
using GroundTruth.Core.Model;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Data;

/// <summary>
/// The EF Core model, one for both providers. Tables and columns are snake_case so that the hand-written set-based SQL in
/// the services reads like the schema. Triggers (see each provider's migrations and its schema file,
/// <c>Data/Sqlite/schema.sql</c> and <c>Data/Postgres/schema.sql</c>) keep each task's counters and its score sheet's ground-truth columns current. Each provider has
/// its own subclass, so that each keeps its own migrations; <see cref="Dialect"/> holds the SQL that differs.
/// </summary>
public abstract class GroundTruthDbContext : IdentityDbContext<User, IdentityRole<long>, long>, IDataProtectionKeyContext
{
    protected GroundTruthDbContext(DbContextOptions options)
        : base(options)
    {
        // A SaveChanges inside a service's transaction would otherwise wrap itself in a savepoint: two more round trips
        // for each star, to undo a part that no caller ever keeps going after (a failure rolls the whole transaction back).
        Database.AutoSavepointsEnabled = false;
    }

    /// <summary>The SQL this provider writes differently, for the services' hand-written statements.</summary>
    public abstract SqlDialect Dialect { get; }

    public DbSet<Project> Projects => Set<Project>();
    public DbSet<ProjectTotal> ProjectTotals => Set<ProjectTotal>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<LabelTask> Tasks => Set<LabelTask>();
    public DbSet<Annotation> Annotations => Set<Annotation>();
    public DbSet<Prediction> Predictions => Set<Prediction>();
    public DbSet<GroundTruthChange> GroundTruthChanges => Set<GroundTruthChange>();
    public DbSet<TaskScoreSheet> ScoreSheets => Set<TaskScoreSheet>();
    public DbSet<TaskComparisons> Comparisons => Set<TaskComparisons>();
    public DbSet<ProjectMembership> ProjectMemberships => Set<ProjectMembership>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Jobs.Job> Jobs => Set<Jobs.Job>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<ExportSnapshot> ExportSnapshots => Set<ExportSnapshot>();
    public DbSet<ExportPart> ExportParts => Set<ExportPart>();
    internal DbSet<ImportExport.ImportRow> ImportRows => Set<ImportExport.ImportRow>();

    /// <summary>ASP.NET Core's Data Protection keys, shared by every node so that one's cookies and forms work on another.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    private List<Action>? _afterCommit;

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => optionsBuilder.AddInterceptors(AfterCommitInterceptor.Instance)
        // Tasks belong to a project whose query filter hides an import's staging project; no query reaches a task
        // through that navigation, so the filter cannot hide a task that is meant to be seen.
        .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));

    /// <summary>Runs <paramref name="action"/> once the current transaction commits, never if it rolls back; at once outside one.</summary>
    public void AfterCommit(Action action)
    {
        if (Database.CurrentTransaction is null)
        {
            action();
            return;
        }
        (_afterCommit ??= []).Add(action);
    }

    /// <summary>The transaction ended: run what waited for its commit, or drop it.</summary>
    internal void Committed(bool run)
    {
        var actions = _afterCommit;
        _afterCommit = null;
        foreach (var action in run ? actions ?? [] : [])
        {
            action();
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<User>().ToTable("users");
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        modelBuilder.Entity<IdentityRole<long>>().ToTable("roles");
        modelBuilder.Entity<IdentityUserRole<long>>().ToTable("user_roles");
        modelBuilder.Entity<IdentityUserClaim<long>>().ToTable("user_claims");
        modelBuilder.Entity<IdentityUserLogin<long>>().ToTable("user_logins");
        modelBuilder.Entity<IdentityUserToken<long>>().ToTable("user_tokens");
        modelBuilder.Entity<IdentityRoleClaim<long>>().ToTable("role_claims");

        modelBuilder.Entity<ProjectMembership>(e =>
        {
            e.ToTable("project_memberships");
            e.HasKey(m => new { m.ProjectId, m.UserId });
            e.HasOne<Project>().WithMany().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(m => m.UserId);
        });

        modelBuilder.Entity<ApiToken>(e =>
        {
            e.ToTable("api_tokens");
            e.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(t => t.Hash).IsUnique();
            e.HasIndex(t => t.UserId);
            e.Property(t => t.Name).HasMaxLength(100);
        });

        modelBuilder.Entity<Project>(e =>
        {
            e.ToTable("projects");
            e.Property(p => p.Title).HasMaxLength(200);
            // An import's staging project goes with the project it imports into, and exists for no query.
            e.HasOne<Project>().WithMany().HasForeignKey(p => p.ImportForProjectId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(p => p.ImportForProjectId == null);
            e.ToTable(t => t.HasTrigger("projects_after_insert"));
        });

        modelBuilder.Entity<ProjectTotal>(e =>
        {
            e.ToTable("project_totals");
            e.HasOne<Project>().WithMany().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(t => t.ProjectId);
        });

        modelBuilder.Entity<Member>(e =>
        {
            e.ToTable("members");
            e.HasIndex(m => m.Email).IsUnique();
        });

        modelBuilder.Entity<LabelTask>(e =>
        {
            e.ToTable("tasks", t =>
            {
                t.HasTrigger("tasks_totals_after_insert");
                t.HasTrigger("tasks_totals_after_update");
                t.HasTrigger("tasks_totals_after_delete");
            });
            e.HasOne<Project>().WithMany().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(t => new { t.ProjectId, t.InnerId }).IsUnique();
            e.HasIndex(t => new { t.ProjectId, t.ExternalId });
            // One index per filter and sort column, each ending in id so that ordering ties and keyset paging use it.
            // Id order within a project: the grid's default order and the review page's previous/next.
            e.HasIndex(t => new { t.ProjectId, t.Id });
            e.HasIndex(t => new { t.ProjectId, t.TotalAnnotations, t.Id });
            e.HasIndex(t => new { t.ProjectId, t.CancelledAnnotations, t.Id });
            e.HasIndex(t => new { t.ProjectId, t.TotalPredictions, t.Id });
            e.HasIndex(t => new { t.ProjectId, t.CreatedAt, t.Id });
            e.HasIndex(t => new { t.ProjectId, t.UpdatedAt, t.Id });
            e.HasIndex(t => new { t.ProjectId, t.CompletedAt, t.Id });
            e.HasIndex(t => new { t.ProjectId, t.PredictionScore, t.Id });
        });

        modelBuilder.Entity<Annotation>(e =>
        {
            e.ToTable("annotations", t =>
            {
                t.HasCheckConstraint("ck_annotations_cancelled_not_ground_truth", "NOT (ground_truth AND was_cancelled)");
                t.HasTrigger("annotations_after_insert");
                t.HasTrigger("annotations_after_update");
                t.HasTrigger("annotations_after_delete");
            });
            // The wide columns live beside the row, so that flipping ground_truth on a million rows rewrites few pages.
            e.Property(a => a.Id).HasAnnotation("Sqlite:Autoincrement", true);
            e.SplitToTable("annotation_results", t =>
            {
                t.Property(a => a.Id);
                t.Property(a => a.Result);
                t.Property(a => a.Extra);
            });
            e.HasOne<LabelTask>().WithMany(t => t.Annotations).HasForeignKey(a => a.TaskId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(a => a.Member).WithMany().HasForeignKey(a => a.MemberId).OnDelete(DeleteBehavior.Restrict);
            // The invariant: at most one ground truth per task, enforced by the database itself.
            e.HasIndex(a => a.TaskId).IsUnique().HasFilter(Dialect.IsTrue("ground_truth")).HasDatabaseName("ux_annotations_one_ground_truth_per_task");
            // "The annotator's latest annotation" (Set Ground Truths) reads this index alone: ordered by updated_at, then id
            // as the tie-break, with no per-task sort. SQLite's indexes carry the rowid anyway; PostgreSQL's need it named.
            e.HasIndex(a => new { a.TaskId, a.MemberId, a.WasCancelled, a.UpdatedAt, a.Id });
            e.HasIndex(a => new { a.MemberId, a.TaskId });
        });

        modelBuilder.Entity<Prediction>(e =>
        {
            e.ToTable("predictions", t =>
            {
                t.HasTrigger("predictions_after_insert");
                t.HasTrigger("predictions_after_delete");
            });
            e.HasOne<LabelTask>().WithMany(t => t.Predictions).HasForeignKey(p => p.TaskId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(p => new { p.TaskId, p.ModelVersion });
        });

        modelBuilder.Entity<TaskScoreSheet>(e =>
        {
            e.ToTable("score_sheets", t =>
            {
                t.HasTrigger("score_sheets_ground_truth_on_insert");
                t.HasTrigger("score_sheets_totals_after_insert");
                t.HasTrigger("score_sheets_totals_after_update");
                t.HasTrigger("score_sheets_totals_after_delete");
            });
            e.HasKey(s => s.TaskId);
            e.HasOne<LabelTask>().WithOne(t => t.Sheet).HasForeignKey<TaskScoreSheet>(s => s.TaskId).OnDelete(DeleteBehavior.Cascade);
            // The filters and sorts on scores and the ground truth, as the task's other columns: within a project, ending in the task.
            e.HasIndex(s => new { s.ProjectId, s.HasGroundTruth, s.TaskId });
            e.HasIndex(s => new { s.ProjectId, s.Agreement, s.TaskId });
            e.HasIndex(s => new { s.ProjectId, s.MinAccuracy, s.TaskId });
        });

        modelBuilder.Entity<TaskComparisons>(e =>
        {
            e.ToTable("score_comparisons");
            e.HasKey(c => c.TaskId);
            if (Dialect.JsonColumnType is { } json)
            {
                e.Property(c => c.Scores).HasColumnType(json);
            }
            e.HasOne<LabelTask>().WithOne().HasForeignKey<TaskComparisons>(c => c.TaskId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<GroundTruthChange>(e =>
        {
            e.ToTable("ground_truth_changes");
            e.HasOne<LabelTask>().WithMany().HasForeignKey(c => c.TaskId).OnDelete(DeleteBehavior.Cascade);
            e.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(c => c.Source).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(c => new { c.TaskId, c.Id });
        });

        modelBuilder.Entity<Jobs.Job>(e =>
        {
            e.ToTable("jobs", t => t.HasCheckConstraint("ck_jobs_state", "state IN ('Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled')"));
            e.HasOne<Project>().WithMany().HasForeignKey(j => j.ProjectId).OnDelete(DeleteBehavior.Cascade);
            e.Property(j => j.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(j => j.State).HasConversion<string>().HasMaxLength(16);
            e.Property(j => j.CreatedByRole).HasConversion<string>().HasMaxLength(16);
            e.Ignore(j => j.IsActive);
            // The runner's claim walks the unfinished jobs; the Data Manager reads a project's latest.
            e.HasIndex(j => new { j.State, j.Id });
            e.HasIndex(j => new { j.ProjectId, j.Id });
        });

        modelBuilder.Entity<SavedView>(e =>
        {
            e.ToTable("views");
            e.HasOne<Project>().WithMany().HasForeignKey(v => v.ProjectId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(v => v.UserId).OnDelete(DeleteBehavior.SetNull);
            // A project's tabs in their order.
            e.HasIndex(v => new { v.ProjectId, v.Position, v.Id });
            e.HasIndex(v => v.UserId);
        });

        modelBuilder.Entity<ExportSnapshot>(e =>
        {
            e.ToTable("export_snapshots", t => t.HasCheckConstraint("ck_export_snapshots_status", "status IN ('created', 'in_progress', 'failed', 'completed')"));
            e.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Jobs.Job>().WithMany().HasForeignKey(x => x.JobId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.CreatedByUserId).OnDelete(DeleteBehavior.SetNull);
            e.Property(x => x.Title).HasMaxLength(2048);
            e.Property(x => x.Status).HasMaxLength(16);
            e.HasIndex(x => new { x.ProjectId, x.Id });
            e.HasIndex(x => x.JobId);
            e.HasIndex(x => x.CreatedByUserId);
        });

        modelBuilder.Entity<ExportPart>(e =>
        {
            e.ToTable("export_parts");
            e.HasKey(p => new { p.SnapshotId, p.Position });
            e.HasOne<ExportSnapshot>().WithMany().HasForeignKey(p => p.SnapshotId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ImportExport.ImportRow>(e =>
        {
            e.ToTable("import_rows");
            e.HasKey(r => new { r.JobId, r.Position });
            e.HasOne<Jobs.Job>().WithMany().HasForeignKey(r => r.JobId).OnDelete(DeleteBehavior.Cascade);
        });

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    sb.Append('_');
                }
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
