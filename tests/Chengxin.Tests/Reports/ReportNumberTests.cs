using Chengxin.Reports;

namespace Chengxin.Tests.Reports;

/// <summary>Report numbers name the day in China, sort in the order reports were issued, and do not repeat.</summary>
public sealed class ReportNumberTests
{
    [Fact]
    public void ANumberNamesTheDayInChinaAndItsMillisecond()
    {
        // 16:30 UTC on 5 December is 00:30 on 6 December in China: 1,800,000 ms into the day.
        var number = ReportService.ReportNumber(new DateTimeOffset(2026, 12, 5, 16, 30, 0, TimeSpan.Zero));
        Assert.Matches("^CX20261206[0-9A-HJKMNP-TV-Z]{12}$", number);
        Assert.Equal(1_800_000, number[10..16].Aggregate(0L, (value, symbol) => value * 32 + "0123456789ABCDEFGHJKMNPQRSTVWXYZ".IndexOf(symbol, StringComparison.Ordinal)));
    }

    [Fact]
    public void NumbersIssuedLaterSortLaterThroughTheWholeDay()
    {
        var midnight = new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.FromHours(8));
        var instants = new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(31), TimeSpan.FromMilliseconds(32), TimeSpan.FromSeconds(1), TimeSpan.FromHours(12), new TimeSpan(0, 23, 59, 59, 999) }
            .Select(offset => ReportService.ReportNumber(midnight + offset)).ToList();
        Assert.Equal(instants, instants.Order(StringComparer.Ordinal));
        Assert.StartsWith("CX20261207", ReportService.ReportNumber(midnight.AddDays(1)), StringComparison.Ordinal);
    }

    [Fact]
    public void ReportsIssuedInTheSameMillisecondGetDifferentNumbers()
    {
        var at = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.FromHours(8));
        var numbers = Enumerable.Range(0, 10_000).Select(_ => ReportService.ReportNumber(at)).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct(StringComparer.Ordinal).Count());
        Assert.Single(numbers.Select(n => n[..16]).Distinct(StringComparer.Ordinal));
    }
}
