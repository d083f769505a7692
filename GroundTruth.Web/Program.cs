using System.Text.Json;
using System.Text.Json.Serialization;
using GroundTruth.Core;
using GroundTruth.Core.Data;
using GroundTruth.Core.Demo;
using GroundTruth.Web.Api;
using GroundTruth.Web.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

var connectionString = builder.Configuration.GetConnectionString("GroundTruth") is { Length: > 0 } configured
    ? configured
    : $"Data Source={Path.Combine(builder.Environment.ContentRootPath, "App_Data", "groundtruth.db")}";
builder.Services.AddGroundTruthCore(connectionString);

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddOpenApi();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
});

var app = builder.Build();

var factory = app.Services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>();
await DatabaseInitializer.InitializeAsync(factory);
if (app.Configuration.GetValue("GroundTruth:SeedDemoData", true))
{
    await app.Services.GetRequiredService<DemoData>().SeedIfEmptyAsync();
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapOpenApi();
app.MapGet("/health", () => Results.Ok(new { Status = "ok" })).ExcludeFromDescription();
app.MapProjectsApi();
app.MapTasksApi();
app.MapAnnotationsApi();
app.MapActionsApi();
app.MapDemoImages();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
