using Chengxin.Identity;

namespace Chengxin.Core.Tests.Identity;

public sealed class CreditCodeTests
{
    // GB 32100-2015, the standard's own example.
    private const string StandardExample = "91350100M000100Y43";

    [Fact]
    public void TheStandardsExampleIsValid()
    {
        var check = CreditCode.Check(StandardExample);

        Assert.True(check.IsValid, check.Error?.Message);
        Assert.Equal(StandardExample, check.Normalised);
    }

    [Fact]
    public void LowerCaseIsNormalisedToUpperCase()
    {
        var check = CreditCode.Check(" 91350100m000100y43 ");

        Assert.True(check.IsValid, check.Error?.Message);
        Assert.Equal(StandardExample, check.Normalised);
    }

    [Theory]
    [InlineData("91350100M000100Y4", 17)]
    [InlineData("91350100M000100Y431", 19)]
    [InlineData("", 0)]
    public void CodeOfAnyLengthButEighteenIsRefusedForLength(string input, int length)
    {
        var check = CreditCode.Check(input);

        Assert.Equal("length", check.Error?.Code);
        Assert.Contains($"has {length}.", check.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullIsRefusedForLength()
    {
        Assert.Equal("length", CreditCode.Check(null).Error?.Code);
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('S')]
    [InlineData('V')]
    [InlineData('Z')]
    [InlineData('-')]
    [InlineData('*')]
    [InlineData('中')]
    public void LetterLeftOutOfTheAlphabetOrSymbolIsRefusedForCharacters(char bad)
    {
        var code = StandardExample[..8] + bad + StandardExample[9..];

        var check = CreditCode.Check(code);

        Assert.Equal("characters", check.Error?.Code);
        Assert.Contains($"Character 9 is '{bad}'", check.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('B')]
    [InlineData('0')]
    [InlineData('X')]
    public void UnknownRegistrationAuthorityIsRefused(char authority)
    {
        var check = CreditCode.Check(WithCheckCharacter(authority + "1350100M000100Y4"));

        Assert.Equal("registration-authority", check.Error?.Code);
    }

    [Theory]
    [InlineData("94")]
    [InlineData("99")]
    [InlineData("Y2")]
    [InlineData("2A")]
    [InlineData("14")]
    public void CategoryTheAuthorityDoesNotRegisterIsRefused(string authorityAndCategory)
    {
        var check = CreditCode.Check(WithCheckCharacter(authorityAndCategory + "350100M000100Y4"));

        Assert.Equal("category", check.Error?.Code);
        Assert.Contains($"'{authorityAndCategory[1]}'", check.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("11")]
    [InlineData("12")]
    [InlineData("51")]
    [InlineData("91")]
    [InlineData("92")]
    [InlineData("93")]
    [InlineData("31")]
    [InlineData("Y1")]
    [InlineData("N2")]
    [InlineData("A9")]
    public void CategoryTheAuthorityRegistersIsAccepted(string authorityAndCategory)
    {
        var check = CreditCode.Check(WithCheckCharacter(authorityAndCategory + "350100M000100Y4"));

        Assert.True(check.IsValid, check.Error?.Message);
    }

    [Theory]
    [InlineData("3501A0")]
    [InlineData("999999")]
    [InlineData("000000")]
    public void DivisionThatIsNotAGbt2260CodeIsRefused(string division)
    {
        var check = CreditCode.Check(WithCheckCharacter("91" + division + "M000100Y4"));

        Assert.Equal("division", check.Error?.Code);
        Assert.Contains(division, check.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NationalDivision100000IsAccepted()
    {
        Assert.False(DivisionCodes.Contains("100000"));

        var check = CreditCode.Check(WithCheckCharacter("91100000M000100Y4"));

        Assert.True(check.IsValid, check.Error?.Message);
    }

    [Fact]
    public void RetiredDivisionIsAccepted()
    {
        var check = CreditCode.Check(WithCheckCharacter("91430124M000100Y4"));

        Assert.True(check.IsValid, check.Error?.Message);
    }

    public static TheoryData<char> WrongCheckCharactersOfStandardExample() =>
        new(CreditCode.Alphabet.Where(c => c != '3'));

    [Theory]
    [MemberData(nameof(WrongCheckCharactersOfStandardExample))]
    public void EveryWrongCheckCharacterIsRefusedForChecksum(char wrong)
    {
        var check = CreditCode.Check(StandardExample[..17] + wrong);

        Assert.Equal("checksum", check.Error?.Code);
        Assert.Contains("give 3", check.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckCharacterMatchesHandComputedValue()
    {
        // 9·1+1·3+3·9+5·27+0·19+1·26+0·16+0·17+M(21)·20+0·29+0·25+0·13+1·8+0·24+0·10+Y(30)·30+4·28 = 1640;
        // 1640 mod 31 = 28; 31 − 28 = 3 → '3'
        Assert.Equal('3', CreditCode.CheckCharacter("91350100M000100Y4"));
    }

    [Fact]
    public void CheckCharacterIsZeroWhenTheSumIsAMultipleOf31()
    {
        // As above with a last digit 3 instead of 4: 1640 − 112 + 84 = 1612 = 52·31, and 31 − 0 wraps to '0'.
        Assert.Equal('0', CreditCode.CheckCharacter("91350100M000100Y3"));
        Assert.True(CreditCode.Check("91350100M000100Y30").IsValid);
    }

    [Fact]
    public void CheckCharacterNeedsExactlySeventeenCharacters()
    {
        Assert.Throws<ArgumentException>(() => CreditCode.CheckCharacter("91350100M000100Y"));
    }

    private static string WithCheckCharacter(string first17) => first17 + CreditCode.CheckCharacter(first17);
}
