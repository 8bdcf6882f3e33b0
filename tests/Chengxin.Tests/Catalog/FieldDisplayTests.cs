using System.Text.Json;
using Chengxin.Catalog;

namespace Chengxin.Tests.Catalog;

/// <summary>Values as the person and the querier read them in the archive and the report.</summary>
public sealed class FieldDisplayTests
{
    private static readonly CatalogField Amount = new("fineAmount", new LocalizedText("罚款金额（元）", "Fine (yuan)"), FieldType.Decimal, false, true, Minimum: 0);
    private static readonly CatalogField Year = new("year", new LocalizedText("年度", "Year"), FieldType.Integer, true, true, Minimum: 1949);

    [Theory]
    [InlineData("20000.0", "20,000")]
    [InlineData("1234.5", "1,234.5")]
    [InlineData("0.005", "0.005")]
    [InlineData("12", "12")]
    public void AmountsAreGroupedInThousandsWithoutTrailingZerosAndEveryDigitKept(string pushed, string shown)
    {
        Assert.Equal(shown, Amount.Display(JsonElement.Parse(pushed), english: false));
    }

    [Fact]
    public void IntegersSuchAsYearsAreShownAsWritten()
    {
        Assert.Equal("2025", Year.Display(JsonElement.Parse("2025"), english: false));
    }
}
