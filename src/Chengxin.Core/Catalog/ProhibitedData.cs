using System.Text.RegularExpressions;

namespace Chengxin.Catalog;

/// <summary>
/// Data that may never be collected (Credit Reporting Industry Regulation art. 14): religion, genes,
/// fingerprints and other biometrics, blood type, disease and medical history.
/// </summary>
public static partial class ProhibitedData
{
    // Whole words, so "general" or "surface" are not mistaken for "gene" or "face".
    private static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        "religion", "religious", "faith", "gene", "genes", "genetic", "genome", "dna", "fingerprint", "fingerprints",
        "biometric", "biometrics", "facial", "iris", "retina", "voiceprint", "palmprint", "disease", "diseases",
        "illness", "diagnosis", "diagnoses", "bloodtype", "bloodgroup", "medicalhistory", "medicalrecord",
        "medicalrecords", "healthcondition", "faceimage", "faceid", "dnasample",
    };

    private static readonly string[] ChineseStems = ["宗教", "信仰", "基因", "指纹", "虹膜", "人脸", "面部", "声纹", "掌纹", "生物识别", "血型", "疾病", "病史", "病历", "诊断"];

    /// <summary>True when a field name says it holds prohibited data, however it is cased or separated.</summary>
    public static bool IsProhibitedFieldName(string name)
    {
        if (ChineseStems.Any(stem => name.Contains(stem, StringComparison.Ordinal)))
        {
            return true;
        }
        var words = WordBoundary().Split(name).Where(w => w.Length > 0).Select(w => w.ToLowerInvariant()).ToArray();
        for (var i = 0; i < words.Length; i++)
        {
            if (Words.Contains(words[i]) || (i + 1 < words.Length && Words.Contains(words[i] + words[i + 1])))
            {
                return true;
            }
        }
        return false;
    }

    // Splits on separators and at camelCase humps: bloodType, blood_type, BLOOD-TYPE.
    [GeneratedRegex("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex WordBoundary();
}
