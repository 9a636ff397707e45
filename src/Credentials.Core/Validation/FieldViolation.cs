namespace Credentials.Core.Validation;

/// <summary>One invalid field of a request: its path (e.g. "spec.holder.document_number") and why.</summary>
public sealed record FieldViolation(string Field, string Description);
