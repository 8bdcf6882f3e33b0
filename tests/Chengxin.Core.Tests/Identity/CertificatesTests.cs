using Chengxin.Identity;

namespace Chengxin.Core.Tests.Identity;

public sealed class CertificatesTests
{
    private static readonly DateOnly Today = new(2026, 3, 15);

    [Theory]
    [InlineData("H12345678")]
    [InlineData("M12345678")]
    [InlineData("M1234567890")]
    [InlineData("H1234567890")]
    public void HongKongMacaoPermitOfHOrMAndEightOrTenDigitsIsValid(string number)
    {
        var check = Certificates.Check(IdType.HkMacaoPermit, number, Today);

        Assert.True(check.IsValid, check.Error?.Message);
        Assert.Equal(number, check.Normalised);
    }

    [Theory]
    [InlineData("A12345678")]
    [InlineData("H1234567")]
    [InlineData("H123456789")]
    [InlineData("H12345678901")]
    [InlineData("12345678")]
    [InlineData("HM2345678")]
    public void HongKongMacaoPermitOfAnyOtherShapeIsRefusedForFormat(string number)
    {
        Assert.Equal("format", Certificates.Check(IdType.HkMacaoPermit, number, Today).Error?.Code);
    }

    [Fact]
    public void PermitNumberIsUpperCasedAndStrippedOfSpaces()
    {
        var check = Certificates.Check(IdType.HkMacaoPermit, " h 1234 5678 ", Today);

        Assert.True(check.IsValid, check.Error?.Message);
        Assert.Equal("H12345678", check.Normalised);
        Assert.Equal(" h 1234 5678 ", check.Input);
    }

    [Theory]
    [InlineData("12345678")]
    [InlineData("1234567890")]
    public void TaiwanPermitOfEightOrTenDigitsIsValid(string number)
    {
        Assert.True(Certificates.Check(IdType.TaiwanPermit, number, Today).IsValid);
    }

    [Theory]
    [InlineData("1234567")]
    [InlineData("123456789")]
    [InlineData("12345678901")]
    [InlineData("T12345678")]
    public void TaiwanPermitOfAnyOtherShapeIsRefusedForFormat(string number)
    {
        Assert.Equal("format", Certificates.Check(IdType.TaiwanPermit, number, Today).Error?.Code);
    }

    [Fact]
    public void OldFifteenCharacterPermanentResidentCardIsValid()
    {
        var check = Certificates.Check(IdType.ForeignPermanentResident, "usa123456789012", Today);

        Assert.True(check.IsValid, check.Error?.Message);
        Assert.Equal("USA123456789012", check.Normalised);
    }

    [Fact]
    public void NewEighteenDigitPermanentResidentCardWithCorrectCheckIsValid()
    {
        var number = WithResidentIdCheck("91115619900101001");

        var check = Certificates.Check(IdType.ForeignPermanentResident, number, Today);

        Assert.True(check.IsValid, check.Error?.Message);
        Assert.Equal(number, check.Normalised);
    }

    [Fact]
    public void NewPermanentResidentCardWithCheckXIsValidInLowerCase()
    {
        // Find a first 17 whose MOD 11-2 check is X, so the lower-case x path is exercised.
        var first17 = Enumerable.Range(0, 100)
            .Select(n => $"911156199001010{n:00}")
            .First(candidate => ResidentIdNumber.CheckCharacter(candidate) == 'X');

        var check = Certificates.Check(IdType.ForeignPermanentResident, first17 + "x", Today);

        Assert.True(check.IsValid, check.Error?.Message);
        Assert.Equal(first17 + "X", check.Normalised);
    }

    [Fact]
    public void NewPermanentResidentCardWithWrongCheckIsRefusedForChecksum()
    {
        var valid = WithResidentIdCheck("91115619900101001");
        var wrong = valid[..17] + (valid[17] == '0' ? '1' : '0');

        var check = Certificates.Check(IdType.ForeignPermanentResident, wrong, Today);

        Assert.Equal("checksum", check.Error?.Code);
        Assert.Contains($"give {valid[17]}", check.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("811156199001010014")]
    [InlineData("9111561990010100A1")]
    [InlineData("9111561990010100")]
    [InlineData("9111561990010100141")]
    [InlineData("US123456789012")]
    [InlineData("USA1234567890123")]
    [InlineData("123USA456789012")]
    public void PermanentResidentCardOfAnyOtherShapeIsRefusedForFormat(string number)
    {
        Assert.Equal("format", Certificates.Check(IdType.ForeignPermanentResident, number, Today).Error?.Code);
    }

    [Fact]
    public void EmptyPermanentResidentCardIsRefused()
    {
        Assert.False(Certificates.Check(IdType.ForeignPermanentResident, "", Today).IsValid);
        Assert.False(Certificates.Check(IdType.ForeignPermanentResident, null, Today).IsValid);
    }

    [Theory]
    [InlineData("E12345678")]
    [InlineData("G1234567")]
    [InlineData("AB123")]
    [InlineData("12345678901234567")]
    public void PassportOfFiveToSeventeenLettersAndDigitsIsValid(string number)
    {
        Assert.True(Certificates.Check(IdType.Passport, number, Today).IsValid);
    }

    [Fact]
    public void PassportNumberIsNormalisedToUpperCase()
    {
        Assert.Equal("E12345678", Certificates.Check(IdType.Passport, "e12345678", Today).Normalised);
    }

    [Theory]
    [InlineData("AB")]
    [InlineData("AB12")]
    [InlineData("ABC-123")]
    [InlineData("123456789012345678")]
    [InlineData("E1234567８")]
    public void PassportOfAnyOtherShapeIsRefusedForFormat(string number)
    {
        Assert.Equal("format", Certificates.Check(IdType.Passport, number, Today).Error?.Code);
    }

    [Theory]
    [InlineData(IdType.HkMacaoPermit, "")]
    [InlineData(IdType.HkMacaoPermit, "   ")]
    [InlineData(IdType.HkMacaoPermit, null)]
    [InlineData(IdType.TaiwanPermit, "")]
    [InlineData(IdType.Passport, "")]
    [InlineData(IdType.Passport, null)]
    public void EmptyNumberIsRefusedForLength(IdType type, string? number)
    {
        Assert.Equal("length", Certificates.Check(type, number, Today).Error?.Code);
    }

    [Fact]
    public void ResidentIdIsCheckedByTheResidentIdRules()
    {
        Assert.True(Certificates.Check(IdType.ResidentId, "11010519491231002x", Today).IsValid);
        Assert.Equal("checksum", Certificates.Check(IdType.ResidentId, "110105194912310021", Today).Error?.Code);
        Assert.Equal("birth-date", Certificates.Check(IdType.ResidentId, "11010519491231002X", new DateOnly(1949, 12, 30)).Error?.Code);
    }

    [Theory]
    [InlineData(IdType.ResidentId, "resident-id")]
    [InlineData(IdType.HkMacaoPermit, "hk-macao-permit")]
    [InlineData(IdType.TaiwanPermit, "taiwan-permit")]
    [InlineData(IdType.ForeignPermanentResident, "foreign-permanent-resident")]
    [InlineData(IdType.Passport, "passport")]
    public void EveryTypeRoundTripsThroughItsCode(IdType type, string code)
    {
        Assert.Equal(code, type.ToCode());
        Assert.True(IdTypes.TryParse(code, out var parsed));
        Assert.Equal(type, parsed);
    }

    [Theory]
    [InlineData("Passport")]
    [InlineData("resident_id")]
    [InlineData("")]
    [InlineData(null)]
    public void UnknownTypeCodeIsNotParsed(string? code)
    {
        Assert.False(IdTypes.TryParse(code, out _));
    }

    private static string WithResidentIdCheck(string first17) => first17 + ResidentIdNumber.CheckCharacter(first17);
}
