namespace Credentials.Core.Validation;

/// <summary>A request the domain refuses; the host maps each kind to a gRPC status.</summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>Fields that are invalid whatever the state of the system (INVALID_ARGUMENT).</summary>
public sealed class InvalidRequestException(IReadOnlyList<FieldViolation> violations)
    : DomainException(violations.Count == 1
        ? $"Invalid {violations[0].Field}: {violations[0].Description}"
        : $"{violations.Count} invalid fields: {string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"))}")
{
    public IReadOnlyList<FieldViolation> Violations { get; } = violations;

    public InvalidRequestException(string field, string description)
        : this([new FieldViolation(field, description)])
    {
    }
}

/// <summary>
/// A rule of the system's state refuses the request (FAILED_PRECONDITION): a suspended
/// committee, a scope, a duplicate title. <see cref="Reason"/> is UPPER_SNAKE_CASE.
/// </summary>
public sealed class RuleViolationException(string reason, string message, IReadOnlyDictionary<string, string>? metadata = null, IReadOnlyList<RuleViolation>? violations = null)
    : DomainException(message)
{
    public string Reason { get; } = reason;

    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata ?? new Dictionary<string, string>();

    /// <summary>For batches: every offending item (subject "items[3]").</summary>
    public IReadOnlyList<RuleViolation> Violations { get; } = violations ?? [];
}

/// <summary>One refused item of a batch: which item, the reason code, and why.</summary>
public sealed record RuleViolation(string Subject, string Reason, string Description);

/// <summary>The thing asked for does not exist (NOT_FOUND).</summary>
public sealed class NotFoundException(string resourceType, string name)
    : DomainException($"{resourceType} '{name}' not found.")
{
    public string ResourceType { get; } = resourceType;

    public string Name { get; } = name;
}

/// <summary>Creating something that exists already, or reusing a request id for other content (ALREADY_EXISTS).</summary>
public sealed class AlreadyExistsException(string reason, string message) : DomainException(message)
{
    public string Reason { get; } = reason;
}
