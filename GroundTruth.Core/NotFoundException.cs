namespace GroundTruth.Core;

/// <summary>The thing asked for does not exist. The API answers 404.</summary>
public sealed class NotFoundException(string what, long id) : UserFacingException(ErrorKind.NotFound, $"{what} {id} was not found.")
{
    public string What { get; } = what;
    public long Id { get; } = id;
}
