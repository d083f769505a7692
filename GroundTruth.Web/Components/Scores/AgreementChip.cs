using MudBlazor;

namespace GroundTruth.Web.Components.Scores;

/// <summary>How an agreement shows as a chip, in the grid and on the review page alike.</summary>
public static class AgreementChip
{
    /// <summary>Red under 33 %, amber under 66 %, green otherwise.</summary>
    public static Color ColorOf(double agreement) => agreement < 0.33 ? Color.Error : agreement < 0.66 ? Color.Warning : Color.Success;

    /// <summary>MudChip's classes, for a chip drawn without the component (a component a row is what an open grid must not hold).</summary>
    public static string Classes(double agreement) => ColorOf(agreement) switch
    {
        Color.Error => "mud-chip mud-chip-filled mud-chip-size-small mud-chip-color-error",
        Color.Warning => "mud-chip mud-chip-filled mud-chip-size-small mud-chip-color-warning",
        _ => "mud-chip mud-chip-filled mud-chip-size-small mud-chip-color-success",
    };
}
