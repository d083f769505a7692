namespace GroundTruth.Core;

/// <summary>The request is well formed but the current state forbids it (a cancelled annotation as ground truth). The API answers 409.</summary>
public sealed class ConflictException(string message) : UserFacingException(ErrorKind.Conflict, message);
