using System.Text.Json.Nodes;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Tasks;

namespace GroundTruth.Web.Components.DataManager;

/// <summary>
/// A user's arrangement of the grid's columns in one project: the order of the columns they may move and the ones
/// they hid. The pinned columns (TaskColumns' Pinned) always come first, in the registry's order. Widths are the
/// browser's business (TaskGrid.razor.js) and never reach the server.
/// </summary>
/// <param name="Order">The movable columns' names, first to last.</param>
/// <param name="Hidden">The names of the hidden columns.</param>
public sealed record ColumnChoice(IReadOnlyList<string> Order, IReadOnlySet<string> Hidden)
{
    /// <summary>The registry's order, with the columns it marks hidden hidden.</summary>
    public static ColumnChoice Default { get; } = new(
        [.. Movable.Select(c => c.Name)],
        TaskColumns.InGrid.Where(c => c.Grid == GridPlacement.Hidden).Select(c => c.Name).ToHashSet());

    /// <summary>The columns a user arranges: every grid column but the pinned ones.</summary>
    private static IEnumerable<TaskColumn> Movable => TaskColumns.InGrid.Where(c => c.Grid is GridPlacement.Shown or GridPlacement.Hidden);

    /// <summary>
    /// A stored choice as the browser kept it (comma-separated names; null when nothing is stored). Names no column has
    /// any more are dropped, and a column added since is placed where the registry has it, hidden or not as it says.
    /// </summary>
    public static ColumnChoice Parse(string? order, string? hidden)
    {
        var stored = (order ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Where(name => Default.Order.Contains(name)).Distinct().ToList();
        foreach (var (name, at) in Default.Order.Select((name, at) => (name, at)).Where(c => !stored.Contains(c.name)))
        {
            stored.Insert(Math.Min(at, stored.Count), name);
        }
        var hiddenNames = hidden is null ? Default.Hidden
            : hidden.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(name => Default.Order.Contains(name)).ToHashSet();
        return new ColumnChoice(stored, hiddenNames);
    }

    /// <summary>Hidden columns as the URL holds them for an open tab: names in the registry's order, comma-separated ("" for none).</summary>
    public static string Names(IEnumerable<string> hidden)
    {
        var set = hidden.ToHashSet(StringComparer.Ordinal);
        return string.Join(',', Default.Order.Where(set.Contains));
    }

    /// <summary>The URL's hidden columns: the names of columns a user can hide, and apart, those that are not.</summary>
    public static (IReadOnlySet<string> Hidden, IReadOnlyList<string> Unknown) ParseNames(string names)
    {
        var all = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (all.Where(Default.Order.Contains).ToHashSet(StringComparer.Ordinal), [.. all.Where(name => !Default.Order.Contains(name))]);
    }

    /// <summary>
    /// The columns a saved tab hides (Label Studio's <c>hiddenColumns.explore</c>, each <c>tasks:&lt;name&gt;</c>), as
    /// <see cref="Names"/>; null when the tab keeps no list. Entries for columns this grid does not let a user hide
    /// (the pinned ones, one key of the data, which this grid shows as one column) do not count.
    /// </summary>
    public static string? SavedHidden(JsonObject data) =>
        data["hiddenColumns"] is JsonObject { } columns && columns["explore"] is JsonArray explore
            ? Names(explore.Select(e => ColumnOf(e) ?? ""))
            : null;

    /// <summary>
    /// The tab's data with <paramref name="names"/> as its hidden columns: the entries this grid does not arrange are kept
    /// as they came (a tab made in Label Studio may hide one data key), and so is the labeling stream's list.
    /// </summary>
    public static JsonObject WithSavedHidden(JsonObject data, string names)
    {
        var columns = data["hiddenColumns"] as JsonObject ?? [];
        var kept = columns["explore"] is JsonArray explore
            ? explore.Where(e => ColumnOf(e) is not { } name || !Default.Order.Contains(name)).Select(e => e?.DeepClone())
            : [];
        var hidden = ParseNames(names).Hidden;
        var updated = (JsonObject)columns.DeepClone();
        updated["explore"] = new JsonArray([.. kept, .. Default.Order.Where(hidden.Contains).Select(name => (JsonNode)(Prefix + name))]);
        data["hiddenColumns"] = updated;
        return data;
    }

    /// <summary>How Label Studio names a task column in a view's lists.</summary>
    private const string Prefix = "tasks:";

    /// <summary>The column an entry of a view's list names (<c>tasks:&lt;name&gt;</c>), or null.</summary>
    private static string? ColumnOf(JsonNode? entry) =>
        entry is JsonValue v && v.TryGetValue<string>(out var name) && name.StartsWith(Prefix, StringComparison.Ordinal) ? name[Prefix.Length..] : null;

    /// <summary>The order as the browser keeps it.</summary>
    public string StoredOrder => string.Join(',', Order);

    /// <summary>The hidden columns as the browser keeps them.</summary>
    public string StoredHidden => string.Join(',', Hidden.Order(StringComparer.Ordinal));

    /// <summary>The columns <paramref name="actor"/> may arrange, in this order (those only reviewers see, for reviewers).</summary>
    public IEnumerable<TaskColumn> Arrangeable(Actor actor) => Order.Select(name => TaskColumns.InGrid.First(c => c.Name == name))
        .Where(c => c.VisibleTo(actor));

    /// <summary>What the grid shows <paramref name="actor"/>: the pinned columns, then the shown ones in this order.</summary>
    public IEnumerable<TaskColumn> Shown(Actor actor) =>
        TaskColumns.InGrid.Where(c => c.Grid == GridPlacement.Pinned && c.VisibleTo(actor))
            .Concat(Arrangeable(actor).Where(c => !Hidden.Contains(c.Name)));

    /// <summary>This choice with the column shown if it was hidden, hidden if it was shown.</summary>
    public ColumnChoice Toggle(string name) =>
        this with { Hidden = Hidden.Contains(name) ? Hidden.Where(n => n != name).ToHashSet() : Hidden.Append(name).ToHashSet() };

    /// <summary>
    /// This choice with the column moved one place earlier (<paramref name="by"/> −1) or later (+1) among those
    /// <paramref name="actor"/> arranges: past the neighbour they see, not one only reviewers see.
    /// </summary>
    public ColumnChoice Move(Actor actor, string name, int by)
    {
        var visible = Arrangeable(actor).Select(c => c.Name).ToList();
        var at = visible.IndexOf(name);
        if (at < 0 || at + by < 0 || at + by >= visible.Count)
        {
            return this;
        }
        var order = Order.ToList();
        order.Remove(name);
        var neighbour = order.IndexOf(visible[at + by]);
        order.Insert(by < 0 ? neighbour : neighbour + 1, name);
        return this with { Order = order };
    }
}
