using Chengxin.Catalog;
using static Chengxin.Core.Tests.Catalog.CatalogSamples;

namespace Chengxin.Core.Tests.Catalog;

public sealed class CatalogRulesTests
{
    [Fact]
    public void WellFormedCatalogHasNoViolation()
    {
        Assert.Empty(CatalogRules.Check(Province()));
    }

    [Theory]
    [InlineData("", "Administrative Penalty Law")]
    [InlineData("《行政处罚法》", "")]
    [InlineData("  ", "Administrative Penalty Law")]
    [InlineData("《行政处罚法》", " \t")]
    public void ItemWithoutLegalBasisInEitherLanguageIsRefused(string zh, string en)
    {
        var item = Penalty() with { LegalBasis = new LocalizedText(zh, en) };

        var violation = Assert.Single(CatalogRules.Check(Province(item)));

        Assert.Equal("legal-basis", violation.Code);
        Assert.Equal("admin-penalty", violation.ItemCode);
    }

    [Fact]
    public void ItemCodeAppearingTwiceIsRefusedOnce()
    {
        var violation = Assert.Single(CatalogRules.Check(Province(Penalty(), Arrears(), Penalty())));

        Assert.Equal("duplicate-code", violation.Code);
        Assert.Equal("admin-penalty", violation.ItemCode);
    }

    [Theory]
    [InlineData("Admin_Penalty")]
    [InlineData("admin_penalty")]
    [InlineData("admin--penalty")]
    [InlineData("-admin")]
    [InlineData("admin-")]
    [InlineData("1admin")]
    [InlineData("admin penalty")]
    [InlineData("")]
    public void BadlyFormedItemCodeIsRefused(string code)
    {
        var violation = Assert.Single(CatalogRules.Check(Province(Penalty() with { Code = code })));

        Assert.Equal("code-format", violation.Code);
    }

    [Theory]
    [InlineData("admin-penalty-2")]
    [InlineData("a")]
    [InlineData("tax2-arrears")]
    public void WellFormedItemCodeIsAccepted(string code)
    {
        Assert.Empty(CatalogRules.Check(Province(Penalty() with { Code = code })));
    }

    [Theory]
    [InlineData("", "Administrative penalty")]
    [InlineData("行政处罚", "")]
    public void ItemWithoutNameInEitherLanguageIsRefused(string zh, string en)
    {
        var violation = Assert.Single(CatalogRules.Check(Province(Penalty() with { Name = new LocalizedText(zh, en) })));

        Assert.Equal("name", violation.Code);
    }

    [Fact]
    public void FieldAppearingTwiceIsRefused()
    {
        var item = Arrears() with { Fields = [Field("amount"), Field("taxOffice"), Field("amount")] };

        var violation = Assert.Single(CatalogRules.Check(Province(item)));

        Assert.Equal("duplicate-field", violation.Code);
        Assert.Contains("amount", violation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bloodType")]
    [InlineData("religion")]
    [InlineData("病史")]
    public void FieldHoldingProhibitedDataIsRefused(string name)
    {
        var item = Arrears() with { Fields = [Field("amount"), Field(name, isPublic: false)] };

        var violation = Assert.Single(CatalogRules.Check(Province(item)));

        Assert.Equal("prohibited-data", violation.Code);
        Assert.Equal("tax-arrears", violation.ItemCode);
        Assert.Contains(name, violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALabelForAValueTheFieldDoesNotHaveOrBoundsTheWrongWayRoundAreRefused()
    {
        var labels = new Dictionary<string, LocalizedText> { ["fine"] = new("罚款", "Fine"), ["bribe"] = new("贿赂", "Bribe") };
        var item = Arrears() with
        {
            Fields = [Field("kind", type: FieldType.Enum, values: ["fine"]) with { ValueLabels = labels }, Field("amount", type: FieldType.Decimal) with { Minimum = 10, Maximum = 1 }],
        };

        var violations = CatalogRules.Check(Province(item));

        Assert.Equal(["enum-values", "bounds"], Codes(violations));
    }

    [Fact]
    public void EnumerationFieldWithoutValuesIsRefused()
    {
        var item = Arrears() with { Fields = [Field("kind", type: FieldType.Enum), Field("stage", type: FieldType.Enum, values: [])] };

        var violations = CatalogRules.Check(Province(item));

        Assert.Equal(["enum-values", "enum-values"], Codes(violations));
    }

    [Fact]
    public void ValuesOnANonEnumerationFieldAreNotRequired()
    {
        var item = Arrears() with { Fields = [Field("amount", type: FieldType.Decimal)] };

        Assert.Empty(CatalogRules.Check(Province(item)));
    }

    [Fact]
    public void DisplayRuleNamingAGradeTheItemLacksIsRefused()
    {
        var display = new DisplayRule(DisplayStart.OccurredOn, 36, new Dictionary<string, int>(StringComparer.Ordinal) { ["minor"] = 12, ["grave"] = 60 });

        var violation = Assert.Single(CatalogRules.Check(Province(Penalty() with { Display = display })));

        Assert.Equal("unknown-grade", violation.Code);
        Assert.Contains("grave", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryViolationOfAnItemIsReported()
    {
        var item = Penalty() with
        {
            Code = "Admin_Penalty",
            LegalBasis = new LocalizedText("", ""),
            Fields = [Field("bloodType"), Field("bloodType")],
        };

        var violations = CatalogRules.Check(Province(item));

        Assert.Equal(["code-format", "duplicate-field", "legal-basis", "prohibited-data", "prohibited-data"], Codes(violations).Order(StringComparer.Ordinal));
        Assert.All(violations, v => Assert.Equal("Admin_Penalty", v.ItemCode));
    }

    [Fact]
    public void CityAddingItsOwnItemIsFine()
    {
        var cityItem = Arrears() with { Code = "city-volunteer", Category = CatalogCategory.Voluntary, Polarity = Polarity.Positive, Display = new DisplayRule(DisplayStart.OccurredOn, 60) };

        Assert.Empty(CatalogRules.CheckCity(Province(), City(cityItem)));
    }

    [Fact]
    public void CityRepeatingAProvincialItemUnchangedIsFine()
    {
        Assert.Empty(CatalogRules.CheckCity(Province(), City(Penalty(), Arrears(), Licence())));
    }

    [Fact]
    public void CityCatalogIsAlsoCheckedOnItsOwn()
    {
        var cityItem = Arrears() with { Code = "city-volunteer", LegalBasis = new LocalizedText("", "") };

        var violation = Assert.Single(CatalogRules.CheckCity(Province(), City(cityItem)));

        Assert.Equal("legal-basis", violation.Code);
    }

    [Fact]
    public void CityWideningAuthorisedDisclosureToPublicIsRefused()
    {
        var violation = Assert.Single(CatalogRules.CheckCity(Province(), City(Arrears() with { Disclosure = Disclosure.Public })));

        Assert.Equal("loosens-disclosure", violation.Code);
        Assert.Equal("tax-arrears", violation.ItemCode);
    }

    [Fact]
    public void CityWideningGovernmentOnlyDisclosureToAuthorisedIsRefused()
    {
        var province = Province(Arrears() with { Disclosure = Disclosure.Government });

        var violation = Assert.Single(CatalogRules.CheckCity(province, City(Arrears() with { Disclosure = Disclosure.Authorised })));

        Assert.Equal("loosens-disclosure", violation.Code);
    }

    [Fact]
    public void CityShowingAnItemLongerIsRefused()
    {
        var city = City(Arrears() with { Display = new DisplayRule(DisplayStart.OccurredOn, 24) });

        var violation = Assert.Single(CatalogRules.CheckCity(Province(), city));

        Assert.Equal("loosens-display", violation.Code);
        Assert.Contains("12 months", violation.Message, StringComparison.Ordinal);
        Assert.Contains("24 months", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CityShowingAFixedPeriodItemWhileValidIsRefused()
    {
        var city = City(Arrears() with { Display = new DisplayRule(DisplayStart.OccurredOn, null) });

        var violation = Assert.Single(CatalogRules.CheckCity(Province(), city));

        Assert.Equal("loosens-display", violation.Code);
        Assert.Contains("as long as it is valid", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CityShowingAGradeLongerIsRefusedForThatGrade()
    {
        var display = new DisplayRule(DisplayStart.OccurredOn, 36, new Dictionary<string, int>(StringComparer.Ordinal) { ["minor"] = 24 });

        var violation = Assert.Single(CatalogRules.CheckCity(Province(), City(Penalty() with { Display = display })));

        Assert.Equal("loosens-display", violation.Code);
        Assert.Contains("(minor)", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CityLengtheningTheDefaultPeriodIsRefusedForTheGradesThatUseIt()
    {
        var display = new DisplayRule(DisplayStart.OccurredOn, 48, new Dictionary<string, int>(StringComparer.Ordinal) { ["minor"] = 12 });

        var violation = Assert.Single(CatalogRules.CheckCity(Province(), City(Penalty() with { Display = display })));

        Assert.Equal("loosens-display", violation.Code);
        Assert.Contains("(serious)", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CityDroppingAShorterGradePeriodIsRefused()
    {
        // Without its own minor period, minor falls back to 36 months, longer than the province's 12.
        var display = new DisplayRule(DisplayStart.OccurredOn, 36);

        var violation = Assert.Single(CatalogRules.CheckCity(Province(), City(Penalty() with { Display = display })));

        Assert.Equal("loosens-display", violation.Code);
        Assert.Contains("(minor)", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CityCannotLengthenDisplayByGradingAnUngradedItem()
    {
        var graded = Arrears() with
        {
            SeverityGrades = ["serious"],
            Display = new DisplayRule(DisplayStart.OccurredOn, 12, new Dictionary<string, int>(StringComparer.Ordinal) { ["serious"] = 60 }),
        };

        var violations = CatalogRules.CheckCity(Province(), City(graded));

        Assert.Contains("loosens-display", Codes(violations));
    }

    [Fact]
    public void CityCannotLengthenDisplayByCountingFromTheEndOfTheAct()
    {
        var later = Arrears() with { Display = new DisplayRule(DisplayStart.EndOfAct, 12) };

        var violations = CatalogRules.CheckCity(Province(), City(later));

        Assert.Contains("loosens-display", Codes(violations));
    }

    [Fact]
    public void CityPublishingANonPublicFieldIsRefused()
    {
        var item = Arrears() with { Fields = [Field("amount", type: FieldType.Decimal), Field("taxOffice", isPublic: true)] };

        var violation = Assert.Single(CatalogRules.CheckCity(Province(), City(item)));

        Assert.Equal("loosens-field", violation.Code);
        Assert.Contains("taxOffice", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CityAddingAFieldToAProvincialItemIsRefused()
    {
        var item = Arrears() with { Fields = [.. Arrears().Fields, Field("overdueDays", type: FieldType.Integer)] };

        var violation = Assert.Single(CatalogRules.CheckCity(Province(), City(item)));

        Assert.Equal("adds-field", violation.Code);
        Assert.Contains("overdueDays", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CityChangingPolarityIsRefused()
    {
        var violation = Assert.Single(CatalogRules.CheckCity(Province(), City(Arrears() with { Polarity = Polarity.Neutral })));

        Assert.Equal("changes-meaning", violation.Code);
    }

    [Fact]
    public void CityChangingCategoryIsRefused()
    {
        var violation = Assert.Single(CatalogRules.CheckCity(Province(), City(Arrears() with { Category = CatalogCategory.AbnormalList })));

        Assert.Equal("changes-meaning", violation.Code);
    }

    [Fact]
    public void CityMakingAnItemStricterIsFine()
    {
        var narrower = Arrears() with
        {
            Disclosure = Disclosure.Government,
            Display = new DisplayRule(DisplayStart.OccurredOn, 6),
            Fields = [Field("amount", type: FieldType.Decimal, isPublic: false)],
        };
        var shorterGrades = Penalty() with
        {
            Display = new DisplayRule(DisplayStart.OccurredOn, 24, new Dictionary<string, int>(StringComparer.Ordinal) { ["minor"] = 6 }),
        };
        var fixedInsteadOfWhileValid = Licence() with { Display = new DisplayRule(DisplayStart.OccurredOn, 60) };

        Assert.Empty(CatalogRules.CheckCity(Province(), City(narrower, shorterGrades, fixedInsteadOfWhileValid)));
    }

    [Fact]
    public void CityNeverShowingAnItemIsFine()
    {
        Assert.Empty(CatalogRules.CheckCity(Province(), City(Arrears() with { Display = new DisplayRule(DisplayStart.OccurredOn, 0) })));
    }

    [Fact]
    public void EveryLooseningOfOneItemIsReported()
    {
        var loose = Arrears() with
        {
            Disclosure = Disclosure.Public,
            Polarity = Polarity.Positive,
            Display = new DisplayRule(DisplayStart.OccurredOn, null),
            Fields = [Field("amount", type: FieldType.Decimal), Field("taxOffice"), Field("note")],
        };

        var violations = CatalogRules.CheckCity(Province(), City(loose));

        Assert.Equal(["adds-field", "changes-meaning", "loosens-disclosure", "loosens-display", "loosens-field"], Codes(violations).Order(StringComparer.Ordinal));
        Assert.All(violations, v => Assert.Equal("tax-arrears", v.ItemCode));
    }
}
