using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace Chengxin.Reports;

/// <summary>
/// Mends the text layer of chromium's PDFs, so a report's text is searched, copied and read aloud as the
/// characters it was written with. The Noto CJK fonts draw many ideographs with the same glyph as a
/// radical (民 and ⺠, 长 and ⻓, 马 and ⻢), and chromium's PDF writer names each glyph by the first code
/// point the font maps to it: the radical. The glyphs and the page stay as they are; only the fonts'
/// ToUnicode maps are rewritten, each radical to the ideograph that shares its glyph.
/// </summary>
public static partial class PdfTextLayer
{
    // Pairs of radical and ideograph drawn with one glyph in Noto Sans CJK SC (scripts/radical-equivalents.py
    // reads them from the font's cmap); compatibility ideographs are given in their unified form.
    private const string Equivalents =
        "⺂乛⺃乚⺅亻⺇𠘨⺉刂⺋㔾⺍𭕄⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵⺣灬⺤爫⺦丬⺨犭⺩𤣩⺭礻⺮𥫗⺯糹⺰纟⺱罓⺳㓁" +
        "⺹耂⺺肀⺽𦥑⺾艹⺿艹⻀艹⻂衤⻅见⻆角⻇𧢲⻈讠⻉贝⻊𧾷⻋车⻌辶⻐钅⻑長⻒镸⻓长⻔门⻕𨸏⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻞𩙿⻟飠⻠饣⻡𩠐" +
        "⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟⼀一⼁丨⼂丶⼃丿⼄乙⼅亅⼆二⼇亠⼈人⼉儿⼊入⼋八⼌冂⼍冖⼎冫" +
        "⼏几⼐凵⼑刀⼒力⼓勹⼔匕⼕匚⼖匸⼗十⼘卜⼙卩⼚厂⼛厶⼜又⼝口⼞囗⼟土⼠士⼡夂⼢夊⼣夕⼤大⼥女⼦子⼧宀⼨寸⼩小⼪尢⼫尸⼬屮⼭山⼮巛" +
        "⼯工⼰己⼱巾⼲干⼳幺⼴广⼵廴⼶廾⼷弋⼸弓⼺彡⼻彳⼼心⼽戈⼾户⼿手⽀支⽁攴⽂文⽃斗⽄斤⽅方⽆无⽇日⽈曰⽉月⽊木⽋欠⽌止⽍歹⽎殳⽏毋" +
        "⽐比⽑毛⽒氏⽓气⽔水⽕火⽖爪⽗父⽘爻⽙爿⽚片⽛牙⽜牛⽝犬⽞玄⽟玉⽠瓜⽡瓦⽢甘⽣生⽤用⽥田⽦疋⽧疒⽨癶⽩白⽪皮⽫皿⽬目⽭矛⽮矢⽯石" +
        "⽰示⽱禸⽲禾⽳穴⽴立⽵竹⽶米⽷糸⽸缶⽹网⽺羊⽻羽⽼老⽽而⽿耳⾀聿⾁肉⾂臣⾃自⾄至⾅臼⾆舌⾇舛⾈舟⾉艮⾊色⾋艸⾌虍⾍虫⾎血⾏行⾐衣" +
        "⾑襾⾒見⾔言⾕谷⾖豆⾗豕⾘豸⾙貝⾚赤⾛走⾜足⾝身⾞車⾟辛⾠辰⾡辵⾢邑⾣酉⾤釆⾥里⾦金⾧長⾨門⾩阜⾪隶⾫隹⾬雨⾭靑⾮非⾯面⾰革⾱韋" +
        "⾲韭⾳音⾴頁⾵風⾶飛⾷食⾸首⾹香⾺馬⾼高⾽髟⾾鬥⾿鬯⿀鬲⿁鬼⿂魚⿃鳥⿄鹵⿅鹿⿆麥⿇麻⿈黃⿉黍⿊黑⿋黹⿌黽⿍鼎⿎鼓⿏鼠⿑齊⿒齒⿓龍" +
        "⿕龠";

    private static readonly Dictionary<int, int> ToIdeograph = Pairs();

    /// <summary>The PDF with its text maps mended, or as it was when no map names a radical.</summary>
    public static byte[] Mend(byte[] pdf)
    {
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Modify);
        var mended = 0;
        foreach (var font in document.Internals.GetAllObjects().OfType<PdfDictionary>())
        {
            if (font.Elements.GetDictionary("/ToUnicode") is { Stream: { } stream } map
                && MendMap(Encoding.ASCII.GetString(stream.UnfilteredValue)) is { } text)
            {
                map.Stream.Value = Encoding.ASCII.GetBytes(text);
                map.Elements.Remove("/Filter");
                map.Elements.Remove("/DecodeParms");
                mended++;
            }
        }
        if (mended == 0)
        {
            return pdf;
        }
        var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>A ToUnicode CMap with its mappings written out one by one and radicals replaced, or null when it names none.</summary>
    public static string? MendMap(string cmap)
    {
        var blocks = Blocks().Matches(cmap);
        if (blocks.Count == 0)
        {
            return null;
        }
        var mappings = new List<(string Code, string Text)>();
        foreach (Match block in blocks)
        {
            var isChar = block.Groups["kind"].Value == "char";
            foreach (Match entry in (isChar ? CharEntry() : RangeEntry()).Matches(block.Groups["body"].Value))
            {
                var (low, high) = (entry.Groups["low"].Value, entry.Groups["high"].Value);
                var targets = entry.Groups["target"].Captures.Select(c => c.Value).ToList();
                if (isChar)
                {
                    mappings.Add((low, Decode(targets[0])));
                    continue;
                }
                // A range: one target counted up from its last UTF-16 unit, or one target per code.
                var (from, to) = (Hex(low), Hex(high));
                for (var code = from; code <= to; code++)
                {
                    var text = targets.Count > 1 ? Decode(targets[code - from]) : Advance(Decode(targets[0]), code - from);
                    mappings.Add((code.ToString("X" + low.Length, CultureInfo.InvariantCulture), text));
                }
            }
        }
        var mendedMappings = mappings.Select(m => (m.Code, Text: Replace(m.Text))).ToList();
        if (mendedMappings.SequenceEqual(mappings))
        {
            return null;
        }
        var written = new StringBuilder(cmap[..blocks[0].Index]);
        foreach (var chunk in mendedMappings.Chunk(100))
        {
            written.Append(CultureInfo.InvariantCulture, $"{chunk.Length} beginbfchar\n");
            foreach (var (code, text) in chunk)
            {
                written.Append(CultureInfo.InvariantCulture, $"<{code}> <{Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(text))}>\n");
            }
            written.Append("endbfchar\n");
        }
        return written.Append(cmap[(blocks[^1].Index + blocks[^1].Length)..]).ToString();
    }

    private static string Replace(string text)
    {
        var output = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            output.Append(ToIdeograph.TryGetValue(rune.Value, out var ideograph) ? new Rune(ideograph) : rune);
        }
        return output.ToString();
    }

    private static string Decode(string hex) => Encoding.BigEndianUnicode.GetString(Convert.FromHexString(hex));

    private static string Advance(string text, int by) => by == 0 ? text : text[..^1] + (char)(text[^1] + by);

    private static int Hex(string hex) => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static Dictionary<int, int> Pairs()
    {
        var runes = Equivalents.EnumerateRunes().Select(r => r.Value).ToArray();
        return Enumerable.Range(0, runes.Length / 2).ToDictionary(i => runes[2 * i], i => runes[2 * i + 1]);
    }

    [GeneratedRegex(@"\d+\s+beginbf(?<kind>char|range)(?<body>.*?)endbf(?:char|range)\s*", RegexOptions.Singleline)]
    private static partial Regex Blocks();

    // <code> <target>
    [GeneratedRegex(@"<(?<low>[0-9A-Fa-f]+)>\s*<(?<target>[0-9A-Fa-f]*)>")]
    private static partial Regex CharEntry();

    // <low> <high> <target>, or <low> <high> [<target> ...]
    [GeneratedRegex(@"<(?<low>[0-9A-Fa-f]+)>\s*<(?<high>[0-9A-Fa-f]+)>\s*(?:<(?<target>[0-9A-Fa-f]*)>|\[\s*(?:<(?<target>[0-9A-Fa-f]*)>\s*)*\])")]
    private static partial Regex RangeEntry();
}
