using Microsoft.AspNetCore.Components;

namespace GroundTruth.Web.Components.Tasks;

/// <summary>
/// A page that reads the Data Manager's view from its URL: the query parameters the grid writes (see
/// <see cref="DataManagerView.ToParameters"/>) and the review page carries along, so previous/next follow the grid's
/// filter and order and Back restores it. Declared here once for both pages.
/// </summary>
public abstract class ViewPage : ComponentBase
{
    [SupplyParameterFromQuery(Name = "gt")]
    public string? Gt { get; set; }

    [SupplyParameterFromQuery(Name = "filters")]
    public string? Filters { get; set; }

    [SupplyParameterFromQuery(Name = "sort")]
    public string? Sort { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    public string? PageNumber { get; set; }

    [SupplyParameterFromQuery(Name = "size")]
    public string? PageSize { get; set; }

    [SupplyParameterFromQuery(Name = "hidden")]
    public string? Hidden { get; set; }

    /// <summary>The open tab (a saved view); the other parameters hold what it shows.</summary>
    [SupplyParameterFromQuery(Name = "view")]
    public string? Tab { get; set; }

    /// <summary>The view the URL describes; what is invalid is left out and said in <c>Problems</c>.</summary>
    protected (DataManagerView View, IReadOnlyList<string> Problems) ParseView() => DataManagerView.Parse(Gt, Filters, Sort, PageNumber, PageSize, Hidden, Tab);
}
