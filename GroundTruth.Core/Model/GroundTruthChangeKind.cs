namespace GroundTruth.Core.Model;

public enum GroundTruthChangeKind
{
    Set,
    Unset,
    Replaced,
}
