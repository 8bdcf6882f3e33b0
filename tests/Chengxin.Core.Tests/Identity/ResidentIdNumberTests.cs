using Chengxin.Identity;

namespace Chengxin.Core.Tests.Identity;

public sealed class ResidentIdNumberTests
{
    private static readonly DateOnly Today = new(2026, 3, 15);

    // GB 11643-1999, appendix: a number issued in Chaoyang district, Beijing, whose check character is X.
    private const string BeijingExample = "11010519491231002X";

    // GB 11643-1999, appendix: a number issued in Chaoyang county, Shantou (440524, a division code of the 1980s).
    private const string ShantouExample = "440524188001010014";

    [Fact]
    public void TheStandardsBeijingExampleIsValid()
    {
        var check = ResidentIdNumber.Check(BeijingExample, Today);

        Assert.True(check.IsValid, check.Error?.Message);
        Assert.Equal(BeijingExample, check.Normalised);
        Assert.Null(check.Error);
    }

    [Fact]
    public void TheStandardsShantouExampleIsValid()
    {
        var check = ResidentIdNumber.Check(ShantouExample, Today);

        Assert.True(check.IsValid, check.Error?.Message);
        Assert.Equal(ShantouExample, check.Normalised);
    }

    [Fact]
    public void TheDivisionListHoldsChaoyangCountyOfTheStandardsExample()
    {
        Assert.True(DivisionCodes.Contains("440524"), "440524 (潮阳县, used by the GB 11643 example) is missing from divisions.tsv.");
    }

    [Fact]
    public void LowerCaseXIsNormalisedToUpperCase()
    {
        var check = ResidentIdNumber.Check("11010519491231002x", Today);

        Assert.True(check.IsValid, check.Error?.Message);
        Assert.Equal("11010519491231002X", check.Normalised);
        Assert.Equal("11010519491231002x", check.Input);
    }

    [Fact]
    public void SurroundingWhitespaceIsTrimmed()
    {
        var check = ResidentIdNumber.Check(" \t11010519491231002X \n", Today);

        Assert.True(check.IsValid, check.Error?.Message);
        Assert.Equal(BeijingExample, check.Normalised);
    }

    [Theory]
    [InlineData("1101051949123100X", 17)]
    [InlineData("11010519491231002X1", 19)]
    [InlineData("", 0)]
    [InlineData("   ", 0)]
    public void NumberOfAnyLengthButEighteenIsRefusedForLength(string input, int length)
    {
        var check = ResidentIdNumber.Check(input, Today);

        Assert.False(check.IsValid);
        Assert.Null(check.Normalised);
        Assert.Equal("length", check.Error!.Code);
        Assert.Contains($"has {length}.", check.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullIsRefusedForLength()
    {
        var check = ResidentIdNumber.Check(null, Today);

        Assert.False(check.IsValid);
        Assert.Equal("", check.Input);
        Assert.Equal("length", check.Error!.Code);
    }

    [Theory]
    [InlineData("11010519A91231002X", "Character 9 is 'A'")]
    [InlineData("A1010519491231002X", "Character 1 is 'A'")]
    [InlineData("1101051949123100 X", "Character 17 is ' '")]
    public void LetterOrSpaceAmongTheFirstSeventeenIsRefusedForCharacters(string input, string expectedMessage)
    {
        var check = ResidentIdNumber.Check(input, Today);

        Assert.Equal("characters", check.Error?.Code);
        Assert.Contains(expectedMessage, check.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('Y')]
    [InlineData('A')]
    [InlineData('*')]
    public void FinalCharacterOtherThanDigitOrXIsRefusedForCharacters(char last)
    {
        var check = ResidentIdNumber.Check("11010519491231002" + last, Today);

        Assert.Equal("characters", check.Error?.Code);
        Assert.Contains($"'{last}'", check.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("000000")]
    [InlineData("110199")]
    public void DivisionNotInGbt2260IsRefused(string division)
    {
        // Compose gives a correct check character, so only the division can be wrong.
        var number = ResidentIdNumber.Compose(division, new DateOnly(1990, 1, 1), 123);

        var check = ResidentIdNumber.Check(number, Today);

        Assert.Equal("division", check.Error?.Code);
        Assert.Contains(division, check.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RetiredNingxiangCountyCodeAndItsSuccessorAreBothValid()
    {
        var retired = ResidentIdNumber.Compose("430124", new DateOnly(1975, 6, 1), 17);
        var current = ResidentIdNumber.Compose("430182", new DateOnly(2005, 6, 1), 18);

        Assert.True(ResidentIdNumber.Check(retired, Today).IsValid);
        Assert.True(ResidentIdNumber.Check(current, Today).IsValid);
        Assert.False(DivisionCodes.Find("430124")!.Current);
        Assert.True(DivisionCodes.Find("430182")!.Current);
    }

    [Theory]
    [InlineData("19900230")]
    [InlineData("19901301")]
    [InlineData("19900001")]
    [InlineData("19900100")]
    [InlineData("20230229")]
    [InlineData("19000229")]
    public void ImpossibleCalendarDateIsRefusedForBirthDate(string yyyyMMdd)
    {
        var check = ResidentIdNumber.Check(WithCheckCharacter("110105" + yyyyMMdd + "123"), Today);

        Assert.Equal("birth-date", check.Error?.Code);
        Assert.Contains(yyyyMMdd, check.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2024)]
    [InlineData(2000)]
    public void LeapDayOfLeapYearIsValid(int year)
    {
        var check = ResidentIdNumber.Check(ResidentIdNumber.Compose("110105", new DateOnly(year, 2, 29), 123), Today);

        Assert.True(check.IsValid, check.Error?.Message);
    }

    [Fact]
    public void BirthOnTheDayOfCheckingIsValid()
    {
        var check = ResidentIdNumber.Check(ResidentIdNumber.Compose("110105", Today, 1), Today);

        Assert.True(check.IsValid, check.Error?.Message);
    }

    [Fact]
    public void BirthTheDayAfterCheckingIsRefusedAsInTheFuture()
    {
        var check = ResidentIdNumber.Check(ResidentIdNumber.Compose("110105", Today.AddDays(1), 1), Today);

        Assert.Equal("birth-date", check.Error?.Code);
        Assert.Contains("future", check.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FutureIsJudgedAgainstTheGivenDayNotTheClock()
    {
        var number = ResidentIdNumber.Compose("110105", new DateOnly(2000, 1, 1), 1);

        Assert.Equal("birth-date", ResidentIdNumber.Check(number, new DateOnly(1999, 12, 31)).Error?.Code);
        Assert.True(ResidentIdNumber.Check(number, new DateOnly(2000, 1, 1)).IsValid);
    }

    [Fact]
    public void BirthBefore1880IsRefused()
    {
        var check = ResidentIdNumber.Check(ResidentIdNumber.Compose("110105", new DateOnly(1879, 12, 31), 1), Today);

        Assert.Equal("birth-date", check.Error?.Code);
        Assert.Contains("1880", check.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BirthOnFirstDayOf1880IsValid()
    {
        var check = ResidentIdNumber.Check(ResidentIdNumber.Compose("110105", new DateOnly(1880, 1, 1), 1), Today);

        Assert.True(check.IsValid, check.Error?.Message);
    }

    [Fact]
    public void SequenceCode000IsRefused()
    {
        var check = ResidentIdNumber.Check(WithCheckCharacter("11010519900101000"), Today);

        Assert.Equal("sequence", check.Error?.Code);
    }

    public static TheoryData<char> WrongCheckCharactersOfBeijingExample() => new("0123456789");

    [Theory]
    [MemberData(nameof(WrongCheckCharactersOfBeijingExample))]
    public void EveryWrongCheckCharacterIsRefusedForChecksum(char wrong)
    {
        var check = ResidentIdNumber.Check("11010519491231002" + wrong, Today);

        Assert.Equal("checksum", check.Error?.Code);
        Assert.Contains("give X", check.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void XInPlaceOfADigitCheckCharacterIsRefusedForChecksum()
    {
        var valid = ResidentIdNumber.Compose("110105", new DateOnly(1990, 1, 1), 123);
        Assert.NotEqual('X', valid[^1]);

        var check = ResidentIdNumber.Check(valid[..17] + "X", Today);

        Assert.Equal("checksum", check.Error?.Code);
    }

    [Fact]
    public void AnySingleWrongDigitAmongTheFirstSeventeenIsCaught()
    {
        for (var position = 0; position < 17; position++)
        {
            for (var digit = '0'; digit <= '9'; digit++)
            {
                if (BeijingExample[position] == digit)
                {
                    continue;
                }
                var changed = string.Concat(BeijingExample.AsSpan(0, position), digit.ToString(), BeijingExample.AsSpan(position + 1));
                Assert.False(ResidentIdNumber.Check(changed, Today).IsValid, changed);
            }
        }
    }

    [Fact]
    public void ComposedNumberRoundTripsThroughCheckAndBirthDate()
    {
        var birth = new DateOnly(1990, 5, 17);

        var number = ResidentIdNumber.Compose("430182", birth, 37);
        var check = ResidentIdNumber.Check(number, Today);

        Assert.Equal(18, number.Length);
        Assert.StartsWith("43018219900517037", number, StringComparison.Ordinal);
        Assert.True(check.IsValid, check.Error?.Message);
        Assert.Equal(number, check.Normalised);
        Assert.Equal(birth, ResidentIdNumber.BirthDate(number));
    }

    [Fact]
    public void BirthDateIsReadFromTheStandardsExample()
    {
        Assert.Equal(new DateOnly(1949, 12, 31), ResidentIdNumber.BirthDate(BeijingExample));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(-1)]
    public void ComposeRefusesSequenceOutside1To999(int sequence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ResidentIdNumber.Compose("110105", new DateOnly(1990, 1, 1), sequence));
    }

    [Fact]
    public void CheckCharacterMatchesHandComputedValues()
    {
        // 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 167; 167 mod 11 = 2 → "10X98765432"[2] = X
        Assert.Equal('X', ResidentIdNumber.CheckCharacter("11010519491231002"));
        // 4·7+4·9+0·10+5·5+2·8+4·4+1·2+8·1+8·6+0·3+0·7+1·9+0·10+1·5+0·8+0·4+1·2 = 195; 195 mod 11 = 8 → "10X98765432"[8] = 4
        Assert.Equal('4', ResidentIdNumber.CheckCharacter("44052418800101001"));
    }

    [Theory]
    [InlineData("1101051949123100")]
    [InlineData("110105194912310021")]
    public void CheckCharacterNeedsExactlySeventeenDigits(string digits)
    {
        Assert.Throws<ArgumentException>(() => ResidentIdNumber.CheckCharacter(digits));
    }

    private static string WithCheckCharacter(string first17) => first17 + ResidentIdNumber.CheckCharacter(first17);
}
