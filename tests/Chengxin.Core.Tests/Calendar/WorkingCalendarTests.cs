using Chengxin.Calendar;

namespace Chengxin.Core.Tests.Calendar;

public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar Official = WorkingCalendar.Official;

    [Fact]
    public void ThursdayAfterTheNationalDayWeekOf2026IsAWorkingDay()
    {
        Assert.True(Official.IsWorkingDay(new DateOnly(2026, 10, 8)));
    }

    [Theory]
    [InlineData("2026-10-01")]
    [InlineData("2026-10-05")]
    [InlineData("2026-10-07")]
    [InlineData("2026-01-01")]
    [InlineData("2026-02-16")]
    [InlineData("2026-02-23")]
    [InlineData("2026-05-05")]
    public void PublicHolidayOnAWeekdayIsNotAWorkingDay(string day)
    {
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(DayOfWeek.Saturday, date.DayOfWeek);
        Assert.NotEqual(DayOfWeek.Sunday, date.DayOfWeek);

        Assert.False(Official.IsWorkingDay(date));
    }

    [Theory]
    [InlineData("2026-03-14")]
    [InlineData("2026-03-15")]
    [InlineData("2026-10-11")]
    public void OrdinaryWeekendDayIsNotAWorkingDay(string day)
    {
        Assert.False(Official.IsWorkingDay(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2026-10-10")]
    [InlineData("2026-02-14")]
    [InlineData("2026-02-28")]
    [InlineData("2026-01-04")]
    [InlineData("2026-09-20")]
    public void AdjustedWeekendDayIsAWorkingDay(string day)
    {
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);

        Assert.True(Official.IsWorkingDay(date));
    }

    [Fact]
    public void OrdinaryWeekdayIsAWorkingDay()
    {
        Assert.True(Official.IsWorkingDay(new DateOnly(2026, 3, 16)));
    }

    [Fact]
    public void FiveWorkingDaysAfterTheEveOfNationalDay2026IsOctober13()
    {
        // Oct 1–7 off; 8 Thu, 9 Fri, 10 Sat (worked), 11 Sun off, 12 Mon, 13 Tue.
        Assert.Equal(new DateOnly(2026, 10, 13), Official.AddWorkingDays(new DateOnly(2026, 9, 30), 5));
    }

    [Theory]
    [InlineData("2026-02-12", 1, "2026-02-13")]
    [InlineData("2026-02-13", 1, "2026-02-14")]
    [InlineData("2026-02-14", 1, "2026-02-24")]
    [InlineData("2026-02-13", 6, "2026-02-28")]
    [InlineData("2026-02-12", 8, "2026-03-02")]
    [InlineData("2026-02-16", 1, "2026-02-24")]
    public void WorkingDaysAcrossTheSpringFestivalOf2026SkipTheHolidayAndCountTheWorkedSaturdays(string from, int days, string expected)
    {
        var result = Official.AddWorkingDays(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), days);

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result);
    }

    [Fact]
    public void ZeroWorkingDaysReturnsTheSameDateEvenOnAHoliday()
    {
        Assert.Equal(new DateOnly(2026, 10, 1), Official.AddWorkingDays(new DateOnly(2026, 10, 1), 0));
    }

    [Fact]
    public void YearWithoutDataIsAnErrorNamingTheYear()
    {
        var error = Assert.Throws<CalendarMissingException>(() => Official.IsWorkingDay(new DateOnly(2099, 3, 2)));

        Assert.Equal(2099, error.Year);
        Assert.Contains("2099", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CountingIntoAYearWithoutDataIsAnError()
    {
        var error = Assert.Throws<CalendarMissingException>(() => Official.AddWorkingDays(new DateOnly(2099, 3, 2), 1));

        Assert.Equal(2099, error.Year);
    }

    [Fact]
    public void NegativeWorkingDaysAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Official.AddWorkingDays(new DateOnly(2026, 3, 16), -1));
    }

    [Fact]
    public void OfficialCalendarCoversTheYearsItClaims()
    {
        Assert.Contains(2026, Official.Years);
        Assert.Contains(2004, Official.Years);
        Assert.DoesNotContain(2099, Official.Years);
    }

    // 2030: Jan 1 (Tue) a holiday, Jan 4 (Fri) a holiday, Jan 5 (Sat) worked.
    private static readonly WorkingCalendar Custom = new(
        holidays: [new DateOnly(2030, 1, 1), new DateOnly(2030, 1, 4)],
        adjustedWorkdays: [new DateOnly(2030, 1, 5)],
        years: [2030]);

    [Fact]
    public void CustomCalendarSkipsItsHolidaysAndCountsItsWorkedSaturday()
    {
        // Jan 1 (holiday) +1 = Wed 2; Thu 3 +1 skips the Friday holiday to the worked Saturday; +2 skips Sunday.
        Assert.Equal(new DateOnly(2030, 1, 2), Custom.AddWorkingDays(new DateOnly(2030, 1, 1), 1));
        Assert.Equal(new DateOnly(2030, 1, 5), Custom.AddWorkingDays(new DateOnly(2030, 1, 3), 1));
        Assert.Equal(new DateOnly(2030, 1, 7), Custom.AddWorkingDays(new DateOnly(2030, 1, 3), 2));
    }

    [Fact]
    public void StartingDayDoesNotCountEvenWhenItIsAWorkingDay()
    {
        Assert.Equal(new DateOnly(2030, 1, 3), Custom.AddWorkingDays(new DateOnly(2030, 1, 2), 1));
    }

    [Fact]
    public void FromFridayOneWorkingDayIsTheNextMonday()
    {
        Assert.Equal(new DateOnly(2030, 1, 14), Custom.AddWorkingDays(new DateOnly(2030, 1, 11), 1));
    }

    [Fact]
    public void SundayAfterAWorkedSaturdayIsStillOff()
    {
        Assert.True(Custom.IsWorkingDay(new DateOnly(2030, 1, 5)));
        Assert.False(Custom.IsWorkingDay(new DateOnly(2030, 1, 6)));
        Assert.False(Custom.IsWorkingDay(new DateOnly(2030, 1, 12)));
    }

    [Fact]
    public void CountingPastTheLastYearOfACustomCalendarNamesTheMissingYear()
    {
        // Dec 31 2030 is a Tuesday: one working day fits, the second falls in 2031.
        Assert.Equal(new DateOnly(2030, 12, 31), Custom.AddWorkingDays(new DateOnly(2030, 12, 30), 1));

        var error = Assert.Throws<CalendarMissingException>(() => Custom.AddWorkingDays(new DateOnly(2030, 12, 30), 2));

        Assert.Equal(2031, error.Year);
    }

    [Fact]
    public void HolidayListedForAYearTheCalendarDoesNotCoverIsStillAnError()
    {
        var calendar = new WorkingCalendar([new DateOnly(2031, 1, 1)], [], [2030]);

        Assert.Throws<CalendarMissingException>(() => calendar.IsWorkingDay(new DateOnly(2031, 1, 1)));
    }
}
