namespace GroundTruth.Core.Tasks;

/// <summary>A column a task filter can name (<c>filter:tasks:&lt;Name&gt;</c>), the value type it takes and its operators.</summary>
public sealed record FilterColumn(string Name, string Type, IReadOnlyList<string> Operators);
