using Chengxin.Archive;
using Chengxin.Calendar;
using Chengxin.Catalog;

namespace Chengxin.Core.Tests.Archive;

/// <summary>The display rule at every boundary: the day before, of and after; leap days; the date in China.</summary>
public sealed class DisplayPeriodTests
{
    private static readonly LocalizedText Text = new("文", "text");

    private static CatalogItem Item(DisplayRule display, RepairRule? repair = null) => new(
        "admin-penalty", Text, null, CatalogCategory.Administrative, ["department"], Text, Polarity.Negative,
        ["minor", "general", "serious"], Disclosure.Public, display, repair ?? new RepairRule(false), []);

    private static readonly CatalogItem Penalty = Item(
        new DisplayRule(DisplayStart.OccurredOn, 36, new Dictionary<string, int> { ["minor"] = 0, ["general"] = 12, ["serious"] = 36 }),
        new RepairRule(true, null, new Dictionary<string, int> { ["general"] = 3, ["serious"] = 12 }));

    private static readonly CatalogItem Arrears = Item(new DisplayRule(DisplayStart.EndOfAct, 60));

    private static DisplayDecision Penalise(string grade, string decided, string today) =>
        DisplayPeriod.Evaluate(Penalty, DateOnly.Parse(decided, System.Globalization.CultureInfo.InvariantCulture), null, grade, false, false, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("2025-06-02", true)]  // the day before the year is up
    [InlineData("2025-06-03", false)] // the day it is up
    [InlineData("2025-06-04", false)] // the day after
    public void AGeneralPenaltyIsShownForAYearFromItsDecision(string today, bool shown)
    {
        var decision = Penalise("general", "2024-06-03", today);

        Assert.Equal(shown, decision.Shown);
        Assert.Equal(shown ? RecordState.Active : RecordState.Expired, decision.State);
        Assert.Equal(new DateOnly(2025, 6, 2), decision.ShownThrough);
    }

    [Theory]
    [InlineData("2025-02-27", true)]
    [InlineData("2025-02-28", false)]
    public void APeriodFromALeapDayEndsOnTheLastDayOfFebruary(string today, bool shown)
    {
        Assert.Equal(shown, Penalise("general", "2024-02-29", today).Shown);
    }

    [Fact]
    public void AYearFromTheFirstOfMarchAfterALeapDayIsShownThroughTheLastDayOfFebruary()
    {
        Assert.Equal(new DateOnly(2025, 2, 28), Penalise("general", "2024-03-01", "2024-06-01").ShownThrough);
        Assert.Equal(new DateOnly(2028, 2, 29), Penalise("serious", "2025-03-01", "2026-06-01").ShownThrough);
    }

    [Theory]
    [InlineData("warning", "2026-01-05", false)]
    [InlineData("fine", "2026-04-04", true)]  // the day before three months are up
    [InlineData("fine", "2026-04-05", false)] // the day they are up
    public void AMinorPenaltyIsShownThreeMonthsUnlessItIsAWarning(string penaltyType, string today, bool shown)
    {
        var asShipped = Item(new DisplayRule(DisplayStart.OccurredOn, 36, new Dictionary<string, int> { ["minor"] = 3, ["general"] = 12, ["serious"] = 36 },
            [new NeverShownWhen("minor", "penaltyType", ["warning"])]));
        var fields = System.Text.Json.JsonElement.Parse($$"""{"penaltyType":"{{penaltyType}}"}""");

        var decision = DisplayPeriod.Evaluate(asShipped, new DateOnly(2026, 1, 5), null, "minor", false, false, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), fields);

        Assert.Equal(shown, decision.Shown);
        Assert.Equal(penaltyType == "warning" ? RecordState.NotShown : shown ? RecordState.Active : RecordState.Expired, decision.State);
        // A general warning is not a minor one: its grade's months apply.
        Assert.True(DisplayPeriod.Evaluate(asShipped, new DateOnly(2026, 1, 5), null, "general", false, false, new DateOnly(2026, 1, 5), fields).Shown);
    }

    [Fact]
    public void AMinorPenaltyIsNeverShown()
    {
        var decision = Penalise("minor", "2026-01-05", "2026-01-05");

        Assert.False(decision.Shown);
        Assert.Equal(RecordState.NotShown, decision.State);
    }

    [Theory]
    [InlineData("general", "2024-09-03")]
    [InlineData("serious", "2025-06-03")]
    public void RepairIsPossibleAfterTheMinimumPublicityOfItsGrade(string grade, string from)
    {
        Assert.Equal(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), Penalise(grade, "2024-06-03", "2024-07-01").RepairableFrom);
    }

    [Fact]
    public void RevokedAndRepairedRecordsAreNeverShownEvenWithinTheirPeriod()
    {
        var today = new DateOnly(2024, 7, 1);

        Assert.Equal(RecordState.Revoked, DisplayPeriod.Evaluate(Penalty, new(2024, 6, 3), null, "serious", revoked: true, repaired: false, today).State);
        Assert.False(DisplayPeriod.Evaluate(Penalty, new(2024, 6, 3), null, "serious", revoked: true, repaired: false, today).Shown);
        Assert.Equal(RecordState.Repaired, DisplayPeriod.Evaluate(Penalty, new(2024, 6, 3), null, "serious", revoked: false, repaired: true, today).State);
        Assert.False(DisplayPeriod.Evaluate(Penalty, new(2024, 6, 3), null, "serious", revoked: false, repaired: true, today).Shown);
    }

    [Theory]
    [InlineData("2031-03-14", true)]
    [InlineData("2031-03-15", false)]
    public void ArrearsAreShownFiveYearsFromTheEndOfTheActNotFromTheDecision(string today, bool shown)
    {
        var decision = DisplayPeriod.Evaluate(Arrears, new(2020, 1, 10), new DateOnly(2026, 3, 15), null, false, false, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(shown, decision.Shown);
    }

    [Fact]
    public void AnActNotYetEndedIsShownWithoutAnEnd()
    {
        var decision = DisplayPeriod.Evaluate(Arrears, new(2010, 1, 10), null, null, false, false, new DateOnly(2026, 11, 25));

        Assert.True(decision.Shown);
        Assert.Null(decision.ShownThrough);
    }

    [Theory]
    [InlineData("2025-06-02T15:59:59Z", true)]  // 23:59:59 on 2 June in China
    [InlineData("2025-06-02T16:00:00Z", false)] // midnight starting 3 June in China, still 2 June in UTC
    public void TheDayIsTheDayInChina(string utc, bool shown)
    {
        var today = ChinaTime.Today(new FixedClock(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(shown, DisplayPeriod.Evaluate(Penalty, new(2024, 6, 3), null, "general", false, false, today).Shown);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
