namespace GroundTruth.Core.Tasks;

/// <summary>
/// A column a task filter can name (<c>filter:tasks:&lt;Name&gt;</c>): its title as the grid shows it, the value type it
/// takes (Label Studio's Number, Boolean, Datetime, List, String) and its operators.
/// </summary>
/// <param name="Percent">Stored from 0 to 1 and typed as a percentage.</param>
/// <param name="Members">A List of members: the value is a member id or an email.</param>
public sealed record FilterColumn(string Name, string Title, string Type, IReadOnlyList<string> Operators, bool Percent = false, bool Members = false);
