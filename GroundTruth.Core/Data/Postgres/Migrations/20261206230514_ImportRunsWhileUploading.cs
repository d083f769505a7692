using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ImportRunsWhileUploading : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_jobs_state",
                table: "jobs");

            migrationBuilder.AddColumn<DateTime>(
                name: "upload_until",
                table: "jobs",
                type: "timestamp with time zone",
                nullable: true);

            // An upload in progress was a job in state Staging whose lease was the upload's; it is now a queued job
            // whose upload_until is. (Its upload died with the old version: the job fails once that time has passed.)
            migrationBuilder.Sql("UPDATE jobs SET state = 'Queued', upload_until = lease_until, lease_until = NULL WHERE state = 'Staging'");

            migrationBuilder.AddCheckConstraint(
                name: "ck_jobs_state",
                table: "jobs",
                sql: "state IN ('Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_jobs_state",
                table: "jobs");

            migrationBuilder.Sql("UPDATE jobs SET state = 'Staging', lease_owner = NULL, lease_until = upload_until WHERE upload_until IS NOT NULL AND state IN ('Queued', 'Running')");

            migrationBuilder.DropColumn(
                name: "upload_until",
                table: "jobs");

            migrationBuilder.AddCheckConstraint(
                name: "ck_jobs_state",
                table: "jobs",
                sql: "state IN ('Staging', 'Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled')");
        }
    }
}
