using GroundTruth.Core.Demo;

namespace GroundTruth.Web.Api;

internal static class DemoImagesApi
{
    public static void MapDemoImages(this IEndpointRouteBuilder app) =>
        app.MapGet("/demo/images/{n:int}.svg", (int n) => Results.Text(DemoImage.Svg(n), "image/svg+xml")).ExcludeFromDescription();
}
