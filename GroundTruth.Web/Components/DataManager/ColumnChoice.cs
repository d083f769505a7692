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
