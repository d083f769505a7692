namespace GroundTruth.Core.ImportExport;

/// <summary>
/// How an import maps Label Studio user ids: <see cref="UserEmails"/> turns an integer <c>completed_by</c> into an email;
/// an id it does not map becomes <c>user&lt;id&gt;@import.local</c>.
/// </summary>
public sealed record ImportOptions(IReadOnlyDictionary<long, string>? UserEmails = null);
