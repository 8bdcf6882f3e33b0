using System.Text.Json;
using Chengxin.Catalog;
using Chengxin.Core.Tests.Catalog;
using Chengxin.Records;

namespace Chengxin.Core.Tests.Records;

public sealed class RecordChecksTests
{
    private static readonly DateOnly Today = new(2026, 11, 26);

    private static List<FieldError> Check(CatalogItem item, string fields) =>
        RecordChecks.Check(item, new DateOnly(2026, 3, 15), JsonDocument.Parse(fields).RootElement, new SubjectFacts(new DateOnly(1980, 5, 6)), Today);

    [Fact]
    public void ACompleteRecordPasses()
    {
        Assert.Empty(Check(CatalogSamples.Penalty(), """{"decisionNo":"A-1","amount":100,"kind":"fine","subjectAddress":"长沙"}"""));
    }

    [Theory]
    [InlineData("-5", "amount must be from 0 to 1000000; -5 is not.")]
    [InlineData("-0.01", "amount must be from 0 to 1000000; -0.01 is not.")]
    [InlineData("1000001", "amount must be from 0 to 1000000; 1000001 is not.")]
    [InlineData("0", null)]
    [InlineData("1000000", null)]
    public void ANumberOutsideTheCatalogsBoundsIsRefused(string amount, string? message)
    {
        var penalty = CatalogSamples.Penalty();
        var bounded = penalty with { Fields = [.. penalty.Fields.Select(f => f.Name == "amount" ? f with { Minimum = 0, Maximum = 1_000_000 } : f)] };

        var errors = Check(bounded, $$"""{"decisionNo":"A-1","amount":{{amount}},"kind":"fine","subjectAddress":"长沙"}""");

        Assert.Equal(message, errors.SingleOrDefault(e => e is { Field: "fields.amount", Code: "out-of-range" })?.Message);
    }

    [Fact]
    public void EachMissingOrNullRequiredFieldIsNamed()
    {
        var errors = Check(CatalogSamples.Penalty(), """{"decisionNo":"A-1","amount":null}""");

        Assert.Equal(["fields.amount", "fields.kind", "fields.subjectAddress"], errors.Where(e => e.Code == "required").Select(e => e.Field));
    }

    [Fact]
    public void ANameGivenTwiceIsJudgedByItsLastValue()
    {
        Assert.Contains(Check(CatalogSamples.Penalty(), """{"decisionNo":"A-1","decisionNo":null,"amount":1,"kind":"fine","subjectAddress":"x"}"""),
            e => e is { Field: "fields.decisionNo", Code: "required" });
        Assert.Empty(Check(CatalogSamples.Penalty(), """{"decisionNo":null,"decisionNo":"A-1","amount":1,"kind":"fine","subjectAddress":"x"}"""));
    }

    [Fact]
    public void AnotherVersionOfAnItemIsCheckedByItsOwnFields()
    {
        var penalty = CatalogSamples.Penalty();
        var record = """{"decisionNo":"A-1","amount":100,"kind":"fine","subjectAddress":"长沙"}""";
        Assert.Empty(Check(penalty, record));

        var revised = penalty with { Fields = [.. penalty.Fields, CatalogSamples.Field("authority")] };

        Assert.Contains(Check(revised, record), e => e is { Field: "fields.authority", Code: "required" });
        Assert.Contains(Check(penalty, """{"decisionNo":"A-1","amount":100,"kind":"fine","subjectAddress":"长沙","authority":"x"}"""),
            e => e is { Field: "fields.authority", Code: "unknown-field" });
    }

    [Fact]
    public void WrongTypesAndValuesAreNamedByField()
    {
        var errors = Check(CatalogSamples.Penalty(), """{"decisionNo":7,"amount":"lots","kind":"prison","subjectAddress":"x"}""");

        Assert.Equal([("fields.decisionNo", "type"), ("fields.amount", "type"), ("fields.kind", "enum")], errors.Select(e => (e.Field, e.Code)));
    }

    private static CatalogItem Note(int maxLength) => CatalogSamples.Penalty() with
    {
        Fields = [CatalogSamples.Field("note") with { MaxLength = maxLength }, CatalogSamples.Field("kind", type: FieldType.Enum, values: ["fine", "警告"])],
    };

    [Theory]
    [InlineData(" ")]
    [InlineData(" \\t ")]
    // An ideographic space, as a Chinese keyboard types it, written as is and escaped.
    [InlineData("\u3000")]
    [InlineData("\\u3000 ")]
    [InlineData("")]
    public void ARequiredStringOfOnlyWhitespaceIsEmpty(string note)
    {
        Assert.Contains(Check(Note(10), $$"""{"note":"{{note}}","kind":"fine"}"""), e => e is { Field: "fields.note", Code: "required" });
    }

    [Theory]
    [InlineData("长沙市岳麓区", true)]
    [InlineData("长沙市岳麓区望", false)]
    // Counted as characters, however written: escapes count once, a character outside the BMP twice (as .NET strings count it).
    [InlineData("\\u957F\\u6C99\\u5E02abc", true)]
    [InlineData("\\u957F\\u6C99\\u5E02abcd", false)]
    [InlineData("𠀀𠀀𠀀", true)]
    [InlineData("𠀀𠀀𠀀x", false)]
    public void LengthsAreCountedInCharactersWhateverTheEncoding(string note, bool fits)
    {
        var errors = Check(Note(6), $$"""{"note":"{{note}}","kind":"fine"}""");

        Assert.Equal(fits, !errors.Any(e => e is { Field: "fields.note", Code: "max-length" }));
    }

    [Fact]
    public void EscapedNamesAndEnumerationValuesAreTheNamesAndValuesTheySpell()
    {
        Assert.Empty(Check(Note(6), """{"\u006eote":"x","kind":"\u8B66\u544A"}"""));
        Assert.Contains(Check(Note(6), """{"note":"x","kind":"\u8B66"}"""), e => e is { Field: "fields.kind", Code: "enum" });
    }
}
