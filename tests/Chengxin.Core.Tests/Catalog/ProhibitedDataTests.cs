using Chengxin.Catalog;

namespace Chengxin.Core.Tests.Catalog;

public sealed class ProhibitedDataTests
{
    [Theory]
    [InlineData("religion")]
    [InlineData("Religion")]
    [InlineData("religiousBelief")]
    [InlineData("faith")]
    [InlineData("bloodType")]
    [InlineData("blood_type")]
    [InlineData("BLOOD-TYPE")]
    [InlineData("blood type")]
    [InlineData("bloodGroup")]
    [InlineData("fingerprint")]
    [InlineData("fingerPrint")]
    [InlineData("faceImage")]
    [InlineData("faceImageUrl")]
    [InlineData("geneticTest")]
    [InlineData("DNA")]
    [InlineData("patientDNA")]
    [InlineData("medicalHistory")]
    [InlineData("diseaseName")]
    [InlineData("chronicDiseases")]
    [InlineData("iris")]
    [InlineData("宗教信仰")]
    [InlineData("血型")]
    [InlineData("病史")]
    [InlineData("既往病史")]
    [InlineData("指纹图像")]
    public void FieldNameSayingItHoldsProhibitedDataIsRecognised(string name)
    {
        Assert.True(ProhibitedData.IsProhibitedFieldName(name));
    }

    [Theory]
    [InlineData("general")]
    [InlineData("generalManager")]
    [InlineData("surfaceArea")]
    [InlineData("interface")]
    [InlineData("decisionNo")]
    [InlineData("amount")]
    [InlineData("genealogy")]
    [InlineData("blood")]
    [InlineData("typeOfBusiness")]
    [InlineData("medicalFees")]
    [InlineData("处罚决定书文号")]
    [InlineData("")]
    public void OrdinaryFieldNameIsNotMistakenForProhibitedData(string name)
    {
        Assert.False(ProhibitedData.IsProhibitedFieldName(name));
    }
}
