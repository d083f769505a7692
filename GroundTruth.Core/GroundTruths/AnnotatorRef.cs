namespace GroundTruth.Core.GroundTruths;

/// <summary>An annotator named by member id or by email, as the Data Manager's actions accept either.</summary>
public readonly record struct AnnotatorRef(long? Id, string? Email)
{
    public static implicit operator AnnotatorRef(long id) => new(id, null);

    public static AnnotatorRef ByEmail(string email) => new(null, email);
}
