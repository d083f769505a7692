namespace GroundTruth.Core.ImportExport;

/// <summary>An import rejected whole: <see cref="Item"/> is the index of the offending task in the file, <see cref="Path"/> the JSON path.</summary>
public sealed class ImportException(int item, string path, string detail) : BadInputException($"Item {item} at {path}: {detail}")
{
    public int Item { get; } = item;
    public string Path { get; } = path;
    public string Detail { get; } = detail;

    public override IReadOnlyDictionary<string, object> Details => new Dictionary<string, object> { ["item"] = Item, ["path"] = Path };
}
