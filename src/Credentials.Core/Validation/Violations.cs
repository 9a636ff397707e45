namespace Credentials.Core.Validation;

/// <summary>Collects every invalid field of a request, so the caller learns them all at once.</summary>
public sealed class Violations
{
    private readonly List<FieldViolation> _items = [];

    public bool Any => _items.Count > 0;

    public IReadOnlyList<FieldViolation> Items => _items;

    public void Add(string field, string description) => _items.Add(new FieldViolation(field, description));

    public void AddRange(IEnumerable<FieldViolation> violations) => _items.AddRange(violations);

    /// <summary>Adds a violation when <paramref name="error"/> is not null.</summary>
    public void AddIf(string field, string? error)
    {
        if (error is not null)
        {
            Add(field, error);
        }
    }

    public void ThrowIfAny()
    {
        if (_items.Count > 0)
        {
            throw new InvalidRequestException(_items);
        }
    }
}
