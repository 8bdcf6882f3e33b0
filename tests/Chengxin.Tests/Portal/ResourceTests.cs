using System.Xml.Linq;

namespace Chengxin.Tests.Portal;

/// <summary>Every portal string exists in both cultures.</summary>
public sealed class ResourceTests
{
    private static Dictionary<string, string> Read(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Chengxin", "Resources", file);
        return XDocument.Load(path).Root!.Elements("data").ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);
    }

    [Fact]
    public void ChineseAndEnglishHaveTheSameKeysAndNoEmptyValue()
    {
        var zh = Read("SharedResource.resx");
        var en = Read("SharedResource.en.resx");
        Assert.Equal(zh.Keys.Order(), en.Keys.Order());
        Assert.All(zh.Concat(en), pair => Assert.False(string.IsNullOrWhiteSpace(pair.Value), pair.Key));
    }

    [Fact]
    public void TheChineseResourceIsInChinese()
    {
        var zh = Read("SharedResource.resx");
        var withHan = zh.Values.Count(v => v.Any(c => c is >= '\u4e00' and <= '\u9fff'));
        Assert.True(withHan > zh.Count * 0.9, $"{withHan} of {zh.Count} Chinese strings contain Chinese characters.");
    }
}
