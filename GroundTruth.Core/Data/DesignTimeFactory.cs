using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GroundTruth.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the web app.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<GroundTruthDbContext>
{
    public GroundTruthDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<GroundTruthDbContext>().UseSqlite("Data Source=design.db").Options);
}
