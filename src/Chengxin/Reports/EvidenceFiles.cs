using PdfSharp.Pdf.IO;

namespace Chengxin.Reports;

/// <summary>
/// What a written authorisation's evidence must be for the person to be shown it: a whole PDF with at least
/// one page that opens without a password, or a whole JPEG or PNG image, as its name says. Anything else
/// (a few bytes that start like a PDF, a renamed document) would stand as "consent" no one can read.
/// </summary>
public static class EvidenceFiles
{
    public static readonly IReadOnlyList<string> Extensions = [".pdf", ".jpg", ".jpeg", ".png"];

    /// <summary>A file name's extension as the checks and the stored file's name use it: lower case, with its dot.</summary>
    public static string Extension(string fileName) => Path.GetExtension(fileName).ToLowerInvariant();

    /// <summary>
    /// The name the evidence is kept, shown and signed under: its type only. The querier names the file it sends, and a
    /// scan's name often holds the person's name and number ("张三_430102….pdf"), which a receipt handed on would spread.
    /// </summary>
    public static string KeptName(string fileName) => "书面授权书" + Extension(fileName);

    /// <summary>Null when the content is a readable file of the type its extension names; otherwise why not.</summary>
    public static string? Problem(string extension, byte[] content) => extension switch
    {
        ".pdf" => PdfProblem(content),
        ".jpg" or ".jpeg" => IsJpeg(content) ? null : "The evidence is not a whole JPEG image.",
        ".png" => IsPng(content) ? null : "The evidence is not a whole PNG image.",
        _ => "The evidence must be a .pdf, .jpg or .png file.",
    };

    public static string ContentType(string fileName) => Extension(fileName) switch
    {
        ".pdf" => "application/pdf",
        ".png" => "image/png",
        _ => "image/jpeg",
    };

    private static string? PdfProblem(byte[] content)
    {
        if (!content.AsSpan().StartsWith("%PDF-"u8))
        {
            return "The evidence is not a PDF file.";
        }
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var document = PdfReader.Open(stream, PdfDocumentOpenMode.Import);
            return document.PageCount > 0 ? null : "The evidence PDF has no page.";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Damaged, cut short or password-protected: the person could not open it either.
            return "The evidence PDF cannot be opened (damaged, incomplete or password-protected).";
        }
    }

    // Start of image, a marker after it, and end of image: a file cut short fails.
    private static bool IsJpeg(ReadOnlySpan<byte> content) =>
        content.Length > 4 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF && content[^2] == 0xFF && content[^1] == 0xD9;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    // The signature, the header chunk first and the end chunk last.
    private static bool IsPng(ReadOnlySpan<byte> content) =>
        content.Length > 8 + 25 + 12 && content.StartsWith(PngSignature) && content.Slice(12, 4).SequenceEqual("IHDR"u8)
        && content[^8..^4].SequenceEqual("IEND"u8);
}
