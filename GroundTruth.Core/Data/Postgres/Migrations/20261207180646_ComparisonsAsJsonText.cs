using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GroundTruth.Core.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ComparisonsAsJsonText : Migration
    {
        // The comparisons as json, the text as written, rather than jsonb: they are written and read whole (see
        // PostgresDialect.JsonColumnType for the by-hand figures). The table is rewritten once here, and a sheet converted
        // from jsonb keeps jsonb's spelling (a space after each comma and colon), so the next rescoring that reaches it
        // writes it once more as computed.
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "scores",
                table: "score_comparisons",
                type: "json",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "jsonb");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "scores",
                table: "score_comparisons",
                type: "jsonb",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "json");
        }
    }
}
