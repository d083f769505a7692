namespace GroundTruth.Core.Model;

/// <summary>Through what a ground-truth change was made.</summary>
public enum ChangeSource
{
    Review,
    BulkAction,
    Import,
    Api,
}
