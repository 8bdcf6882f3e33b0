using System.Globalization;
using Chengxin.Archive;
using Chengxin.Catalog;

namespace Chengxin.Core.Tests.Archive;

/// <summary>When a record hidden from everyone but the person may be deleted: five years from the act, never while shown.</summary>
public sealed class RecordRetentionTests
{
    private static readonly LocalizedText Text = new("文", "text");

    private static readonly CatalogItem Penalty = new(
        "admin-penalty", Text, null, CatalogCategory.Administrative, ["department"], Text, Polarity.Negative,
        ["minor", "general", "serious"], Disclosure.Public,
        new DisplayRule(DisplayStart.OccurredOn, 36, new Dictionary<string, int> { ["minor"] = 0, ["general"] = 12, ["serious"] = 36 }),
        new RepairRule(false), []);

    private static readonly CatalogItem Arrears = Penalty with { Display = new DisplayRule(DisplayStart.EndOfAct, 60) };

    private static readonly CatalogItem Licence = Penalty with { Display = new DisplayRule(DisplayStart.OccurredOn, null) };

    private static DateOnly Day(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);

    private static bool Purgeable(CatalogItem item, string grade, string occurred, string today, string? actEnded = null, bool revoked = false, string? stopped = null)
    {
        var display = DisplayPeriod.Evaluate(item, Day(occurred), actEnded is null ? null : Day(actEnded), grade, revoked, false, Day(today));
        return RecordRetention.Purgeable(display, Day(occurred), actEnded is null ? null : Day(actEnded), stopped is null ? null : Day(stopped), RecordRetention.DefaultYears, Day(today));
    }

    [Theory]
    [InlineData("2029-06-02", false)] // the day before five years are up
    [InlineData("2029-06-03", true)]  // the day they are up
    [InlineData("2029-06-04", true)]
    public void AnExpiredPenaltyIsDeletedFiveYearsAfterItsDecision(string today, bool purgeable)
    {
        Assert.Equal(purgeable, Purgeable(Penalty, "general", "2024-06-03", today));
    }

    [Fact]
    public void AMinorPenaltyNeverShownIsAlsoKeptFiveYears()
    {
        Assert.False(Purgeable(Penalty, "minor", "2024-02-29", "2029-02-27"));
        Assert.True(Purgeable(Penalty, "minor", "2024-02-29", "2029-02-28"));
    }

    [Fact]
    public void ARecordCountedFromTheEndOfItsActIsKeptFiveYearsFromThatEnd()
    {
        // Arrears paid in 2020 after a decision in 2015: shown until 2025, kept until 2025 too.
        Assert.False(Purgeable(Arrears, "general", "2015-03-01", "2025-02-28", actEnded: "2020-03-01"));
        Assert.True(Purgeable(Arrears, "general", "2015-03-01", "2025-03-01", actEnded: "2020-03-01"));
    }

    [Fact]
    public void AnActNotYetEndedIsStillShownAndNeverDeleted()
    {
        Assert.False(Purgeable(Arrears, "general", "2010-01-01", "2030-01-01"));
    }

    [Fact]
    public void ARecordShownWithoutEndIsNeverDeleted()
    {
        Assert.False(Purgeable(Licence, "general", "2000-01-01", "2030-01-01"));
    }

    [Fact]
    public void ARevokedRecordIsKeptFiveYearsFromItsActThenDeleted()
    {
        Assert.False(Purgeable(Penalty, "serious", "2024-06-03", "2029-06-02", revoked: true, stopped: "2024-09-01"));
        Assert.True(Purgeable(Penalty, "serious", "2024-06-03", "2029-06-03", revoked: true, stopped: "2024-09-01"));
    }

    [Fact]
    public void ARecordStillShownAfterFiveYearsIsKeptUntilItsDisplayEnds()
    {
        var longPenalty = Penalty with { Display = new DisplayRule(DisplayStart.OccurredOn, 84) };

        Assert.False(Purgeable(longPenalty, "serious", "2020-01-10", "2027-01-09"));
        Assert.True(Purgeable(longPenalty, "serious", "2020-01-10", "2027-01-10"));
    }
}
