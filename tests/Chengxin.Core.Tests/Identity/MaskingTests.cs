using Chengxin.Identity;

namespace Chengxin.Core.Tests.Identity;

public sealed class MaskingTests
{
    [Fact]
    public void ResidentIdKeepsDivisionAndLastFourCharacters()
    {
        Assert.Equal("430102********1234", Masking.IdNumber("430102199001011234"));
    }

    [Fact]
    public void ResidentIdWithCheckXKeepsTheX()
    {
        Assert.Equal("110105********002X", Masking.IdNumber("11010519491231002X"));
    }

    [Theory]
    [InlineData("91350100M000100Y43", "913501********0Y43")]
    [InlineData("E12345678", "*****5678")]
    [InlineData("USA123456789012", "***********9012")]
    [InlineData("12345", "*2345")]
    public void OtherNumbersKeepOnlyTheirLastFourCharacters(string number, string masked)
    {
        Assert.Equal(masked, Masking.IdNumber(number));
    }

    [Theory]
    [InlineData("1234", "****")]
    [InlineData("12", "**")]
    [InlineData("", "")]
    public void NumbersOfFourCharactersOrFewerAreHiddenEntirely(string number, string masked)
    {
        Assert.Equal(masked, Masking.IdNumber(number));
    }

    [Theory]
    [InlineData("张伟", "张*")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("李小明", "李**")]
    [InlineData("Anna", "A***")]
    public void NameKeepsOnlyItsFirstCharacter(string name, string masked)
    {
        Assert.Equal(masked, Masking.Name(name));
    }

    [Theory]
    [InlineData("张")]
    [InlineData("")]
    public void NameOfOneCharacterOrNoneBecomesOneStar(string name)
    {
        Assert.Equal("*", Masking.Name(name));
    }

    [Fact]
    public void NameStartingWithARareCharacterKeepsThatCharacterWhole()
    {
        // 𠮷 (U+20BB7) is outside the Basic Multilingual Plane: two UTF-16 units, one character.
        var masked = Masking.Name("𠮷伟");

        Assert.Equal("𠮷*", masked);
    }
}
