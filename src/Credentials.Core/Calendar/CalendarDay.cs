namespace Credentials.Core.Calendar;

/// <summary>What a State Council holiday notice says of one date.</summary>
public enum CalendarDayKind
{
    /// <summary>A day off (法定节假日 or a weekday moved into the holiday).</summary>
    Holiday,

    /// <summary>A Saturday or Sunday worked instead (调休上班).</summary>
    Workday,
}

/// <summary>One line of a holiday notice: the date, whether it is off or worked, the holiday it belongs to, and the notice.</summary>
public sealed record CalendarDay(DateOnly Date, CalendarDayKind Kind, string Name, string Notice);
