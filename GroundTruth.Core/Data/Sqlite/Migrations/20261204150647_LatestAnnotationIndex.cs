using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LatestAnnotationIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_annotations_task_id_member_id_was_cancelled_updated_at",
                table: "annotations");

            migrationBuilder.CreateIndex(
                name: "IX_annotations_task_id_member_id_was_cancelled_updated_at_id",
                table: "annotations",
                columns: new[] { "task_id", "member_id", "was_cancelled", "updated_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_annotations_task_id_member_id_was_cancelled_updated_at_id",
                table: "annotations");

            migrationBuilder.CreateIndex(
                name: "IX_annotations_task_id_member_id_was_cancelled_updated_at",
                table: "annotations",
                columns: new[] { "task_id", "member_id", "was_cancelled", "updated_at" });
        }
    }
}
