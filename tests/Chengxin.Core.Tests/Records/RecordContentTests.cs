using System.Text.Json;
using Chengxin.Records;

namespace Chengxin.Core.Tests.Records;

public sealed class RecordContentTests
{
    private static readonly DateOnly OccurredOn = new(2026, 3, 15);

    [Fact]
    public void MembersAreSortedRecursivelyAndWhitespaceRemoved()
    {
        var canonical = Canonical("""
            {
              "b": 1,
              "a": { "d": [3, 1, 2], "c": "x" },
              "A": null
            }
            """);

        Assert.Equal("""{"A":null,"a":{"c":"x","d":[3,1,2]},"b":1}""", canonical);
    }

    [Fact]
    public void ObjectsInsideArraysAreSortedToo()
    {
        Assert.Equal("""[{"a":2,"b":1},{"c":true}]""", Canonical("""[ { "b": 1, "a": 2 }, { "c": true } ]"""));
    }

    [Fact]
    public void SameContentInAnotherMemberOrderGivesTheSameCanonicalFormAndDigest()
    {
        var first = Canonical("""{"decisionNo":"A-1","amount":100,"detail":{"kind":"fine","days":3}}""");
        var second = Canonical("""
            {
                "detail": { "days": 3, "kind": "fine" },
                "amount": 100,
                "decisionNo": "A-1"
            }
            """);

        Assert.Equal(first, second);
        Assert.Equal(RecordContent.Digest("admin-penalty", OccurredOn, first), RecordContent.Digest("admin-penalty", OccurredOn, second));
    }

    [Fact]
    public void ArraysKeepTheirOrder()
    {
        var first = Canonical("""{"items":[1,2,3]}""");
        var second = Canonical("""{"items":[3,2,1]}""");

        Assert.NotEqual(first, second);
        Assert.NotEqual(RecordContent.Digest("admin-penalty", OccurredOn, first), RecordContent.Digest("admin-penalty", OccurredOn, second));
    }

    [Fact]
    public void EscapedAndLiteralChineseTextGiveTheSameCanonicalForm()
    {
        Assert.Equal(Canonical("""{"name":"张伟"}"""), Canonical("""{"name":"\u5f20\u4f1f"}"""));
    }

    [Fact]
    public void ChineseTextIsWrittenAsStoredVersionsWereDigested()
    {
        // Stored versions were digested in this form: writing it any other way would turn every retry into an update.
        Assert.Equal("""{"authority":"\u957F\u6C99\u5E02","fineAmount":5000}""", Canonical("""{"fineAmount":5000,"authority":"长沙市"}"""));
    }

    [Fact]
    public void AMemberNameGivenTwiceIsWrittenInItsOriginalOrder()
    {
        Assert.Equal("""{"a":0,"b":2,"b":1}""", Canonical("""{"b":2,"a":0,"b":1}"""));
        Assert.Equal("""{"a":0,"b":1,"b":2}""", Canonical("""{"b":1,"a":0,"b":2}"""));
    }

    [Theory]
    // An escaped name is the same name: it sorts and is written as the name it spells.
    [InlineData("""{"b":1,"\u0061":2}""", """{"a":2,"b":1}""")]
    // Names outside ASCII sort by their characters' code order and are written escaped, as stored versions were.
    [InlineData("""{"名称":1,"b":2,"a":3}""", """{"a":3,"b":2,"\u540D\u79F0":1}""")]
    // Characters a name must have escaped keep their escape, whichever way they were written.
    [InlineData("""{"a<b":1,"a":2}""", """{"a":2,"a\u003Cb":1}""")]
    [InlineData("""{"a\u003cb":1,"a":2}""", """{"a":2,"a\u003Cb":1}""")]
    public void MemberNamesAreSortedAndWrittenByTheCharactersTheySpell(string json, string canonical)
    {
        Assert.Equal(canonical, Canonical(json));
    }

    [Fact]
    public void DifferentFieldValueGivesADifferentDigest()
    {
        var first = Canonical("""{"amount":100,"decisionNo":"A-1"}""");
        var second = Canonical("""{"amount":101,"decisionNo":"A-1"}""");

        Assert.NotEqual(RecordContent.Digest("admin-penalty", OccurredOn, first), RecordContent.Digest("admin-penalty", OccurredOn, second));
    }

    [Fact]
    public void DifferentOccurrenceDateGivesADifferentDigest()
    {
        var fields = Canonical("""{"amount":100}""");

        Assert.NotEqual(RecordContent.Digest("admin-penalty", OccurredOn, fields), RecordContent.Digest("admin-penalty", OccurredOn.AddDays(1), fields));
    }

    [Fact]
    public void DifferentItemCodeGivesADifferentDigest()
    {
        var fields = Canonical("""{"amount":100}""");

        Assert.NotEqual(RecordContent.Digest("admin-penalty", OccurredOn, fields), RecordContent.Digest("tax-arrears", OccurredOn, fields));
    }

    [Fact]
    public void DigestIsTheSha256OfTheVersionedContentInLowerCaseHex()
    {
        // sha256("chengxin/record/v1\nadmin-penalty\n2026-03-15\n{\"amount\":100,\"decisionNo\":\"A-1\"}"), computed independently.
        var digest = RecordContent.Digest("admin-penalty", OccurredOn, Canonical("""{ "decisionNo": "A-1", "amount": 100 }"""));

        Assert.Equal("b8b30ee5cc87b035db21a41b84e8ac7d55784564b5601ad5792859cd30d8addf", digest);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void ScalarsAndEmptyContainersAreWrittenAsThemselves(string json)
    {
        Assert.Equal(json, Canonical(json));
    }

    private static string Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        return RecordContent.Canonical(document.RootElement);
    }
}
