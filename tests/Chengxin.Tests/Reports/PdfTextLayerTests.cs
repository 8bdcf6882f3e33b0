using Chengxin.Reports;

namespace Chengxin.Tests.Reports;

/// <summary>The text a reader copies out of a report's PDF is the text the report was written with, not the font's radicals.</summary>
public sealed class PdfTextLayerTests
{
    private const string Header = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n";
    private const string Trailer = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

    [Fact]
    public void RadicalsInCharacterAndRangeMapsBecomeTheIdeographsThatShareTheirGlyphs()
    {
        // As chromium writes them: 民 as ⺠ (2EA0); 长, 门 and 𨸏 as a range of radicals from ⻓ (2ED3); 人 as the Kangxi ⼈ (2F08).
        var map = Header + "2 beginbfchar\n<03> <2EA0>\n<D5> <6C99>\nendbfchar\n1 beginbfrange\n<10> <12> <2ED3>\nendbfrange\n"
            + "1 beginbfrange\n<20> <21> [<2F08> <5C45>]\nendbfrange\n" + Trailer;

        var mended = PdfTextLayer.MendMap(map)!;

        Assert.StartsWith(Header, mended, StringComparison.Ordinal);
        Assert.EndsWith(Trailer, mended, StringComparison.Ordinal);
        Assert.Contains("<03> <6C11>", mended, StringComparison.Ordinal); // 民
        Assert.Contains("<D5> <6C99>", mended, StringComparison.Ordinal); // 沙, as it was
        Assert.Contains("<10> <957F>", mended, StringComparison.Ordinal); // 长
        Assert.Contains("<11> <95E8>", mended, StringComparison.Ordinal); // 门
        Assert.Contains("<12> <D863DE0F>", mended, StringComparison.Ordinal); // 𨸏, beyond the basic plane
        Assert.Contains("<20> <4EBA>", mended, StringComparison.Ordinal); // 人
        Assert.Contains("<21> <5C45>", mended, StringComparison.Ordinal); // 居
        Assert.DoesNotContain("beginbfrange", mended, StringComparison.Ordinal);
    }

    [Fact]
    public void AMapWithoutRadicalsIsLeftAlone()
    {
        Assert.Null(PdfTextLayer.MendMap(Header + "1 beginbfchar\n<03> <6C11>\nendbfchar\n" + Trailer));
    }
}
