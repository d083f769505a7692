using System.Text.Json;
using System.Text.Json.Serialization;
using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Demo;
using GroundTruth.Core.Model;
using GroundTruth.Web.Api;
using GroundTruth.Web.Auth;
using GroundTruth.Web.Components;
using GroundTruth.Web.Security;
using GroundTruth.Web.Startup;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddGroundTruthCore(DatabaseSettings.From(builder.Configuration, builder.Environment));
builder.Services.AddJobRunner(builder.Configuration);
builder.Services.AddKeyRing(builder.Configuration);

// Browsers sign in with Identity's cookie; scripts send "Authorization: Token <key>". One policy scheme picks.
builder.Services.AddAuthentication(options =>
    {
        options.DefaultScheme = "GroundTruth";
        options.DefaultChallengeScheme = "GroundTruth";
    })
    .AddPolicyScheme("GroundTruth", "Cookie or token", options => options.ForwardDefaultSelector = context =>
        TokenAuthenticationHandler.HasToken(context) ? TokenAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
    .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
    .AddIdentityCookies();
new IdentityBuilder(typeof(User), typeof(IdentityRole<long>), builder.Services).AddSignInManager();
builder.Services.AddScoped<PasswordSignIn>();
builder.Services.AddSignInRateLimit(builder.Configuration);
builder.Services.ConfigureApplicationCookie(options =>
{
    options.LoginPath = "/account/login";
    options.AccessDeniedPath = "/account/denied";
    options.Cookie.HttpOnly = true;
    options.Cookie.SameSite = SameSiteMode.Lax;
    // The API answers 401/403, never a redirect to the sign-in page.
    options.Events.OnRedirectToLogin = context => ApiOrRedirect(context, StatusCodes.Status401Unauthorized);
    options.Events.OnRedirectToAccessDenied = context => ApiOrRedirect(context, StatusCodes.Status403Forbidden);
});
builder.Services.AddAuthorization();
builder.Services.AddCascadingAuthenticationState();

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
// Snackbars at the bottom left, as Material places them: the default top right covered the grid's filter and columns button.
builder.Services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft);
builder.Services.AddScoped<PageErrors>();
builder.Services.AddOpenApi();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    options.SerializerOptions.Converters.Add(new RepairedStringConverter());
});

var app = builder.Build();

if (!await app.PrepareAsync())
{
    return 1;
}

app.UseExceptionHandler();
// A request that ends in a status without a body (an unknown URL) shows the not-found page in the app's layout, as the
// .NET template does; the API's own status pages, inside it, give its answers a problem JSON body first.
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
app.UseSecurityHeaders();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapOpenApi();
app.MapScalarApiReference(SecurityHeaders.ApiReferencePath, options => options.WithOpenApiRoutePattern("/openapi/{documentName}.json"));
app.MapHealth();
app.MapProjectsApi();
app.MapExportsApi();
app.MapTasksApi();
app.MapAnnotationsApi();
app.MapPredictionsApi();
app.MapActionsApi();
app.MapViewsApi();
app.MapAccountApi();
app.MapScoringApi();
app.MapDemoImages();
app.MapAccountEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;

static Task ApiOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
{
    if (context.Request.Path.StartsWithSegments("/api"))
    {
        context.Response.StatusCode = status;
    }
    else
    {
        context.Response.Redirect(context.RedirectUri);
    }
    return Task.CompletedTask;
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
