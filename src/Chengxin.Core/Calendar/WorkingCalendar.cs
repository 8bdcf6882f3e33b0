using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;

namespace Chengxin.Calendar;

/// <summary>
/// China's official working-day calendar: weekends off, public holidays off, and the adjusted
/// weekend days that are worked. Deadlines of objections and repairs count these days.
/// A year without data is an error, never a guess.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly FrozenSet<DateOnly> _holidays;
    private readonly FrozenSet<DateOnly> _workdays;
    private readonly FrozenSet<int> _years;

    public WorkingCalendar(IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> adjustedWorkdays, IEnumerable<int> years)
    {
        _holidays = holidays.ToFrozenSet();
        _workdays = adjustedWorkdays.ToFrozenSet();
        _years = years.ToFrozenSet();
    }

    public static WorkingCalendar Official { get; } = LoadEmbedded();

    public IReadOnlyCollection<int> Years => _years;

    public bool IsWorkingDay(DateOnly day)
    {
        if (!_years.Contains(day.Year))
        {
            throw new CalendarMissingException(day.Year);
        }
        if (_workdays.Contains(day))
        {
            return true;
        }
        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(day);
    }

    /// <summary>The date <paramref name="workingDays"/> working days after <paramref name="from"/> (which does not count).</summary>
    public DateOnly AddWorkingDays(DateOnly from, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var day = from;
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }
        return day;
    }

    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/>; null when a year in between has no data.</summary>
    public int? WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to <= from)
        {
            return 0;
        }
        for (var year = from.Year; year <= to.Year; year++)
        {
            if (!_years.Contains(year))
            {
                return null;
            }
        }
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                count++;
            }
        }
        return count;
    }

    private static WorkingCalendar LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Chengxin.Calendar.holidays.json")
            ?? throw new InvalidOperationException("The holiday calendar is not embedded.");
        using var json = JsonDocument.Parse(stream);
        var holidays = new List<DateOnly>();
        var workdays = new List<DateOnly>();
        var years = new List<int>();
        foreach (var year in json.RootElement.GetProperty("years").EnumerateObject())
        {
            years.Add(int.Parse(year.Name, System.Globalization.CultureInfo.InvariantCulture));
            holidays.AddRange(year.Value.GetProperty("holidays").EnumerateArray().Select(d => DateOnly.Parse(d.GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
            workdays.AddRange(year.Value.GetProperty("workdays").EnumerateArray().Select(d => DateOnly.Parse(d.GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
        }
        return new WorkingCalendar(holidays, workdays, years);
    }
}

public sealed class CalendarMissingException(int year)
    : InvalidOperationException($"The official holiday calendar has no data for {year}; add the State Council's notice for that year before counting working days in it.")
{
    public int Year { get; } = year;
}
