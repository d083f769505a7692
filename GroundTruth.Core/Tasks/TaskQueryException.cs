namespace GroundTruth.Core.Tasks;

/// <summary>A filter, ordering or selection that cannot be run; the message names what is allowed.</summary>
public sealed class TaskQueryException(string message) : BadInputException(message);
