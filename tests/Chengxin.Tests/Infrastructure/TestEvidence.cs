using PdfSharp.Pdf;

namespace Chengxin.Tests.Infrastructure;

/// <summary>Evidence files a querier uploads with a written authorisation: a real one-page PDF.</summary>
public static class TestEvidence
{
    public static byte[] SignedAuthorisationPdf()
    {
        using var document = new PdfDocument();
        document.AddPage();
        using var stream = new MemoryStream();
        document.Save(stream);
        return stream.ToArray();
    }

    public static object Pdf(string fileName = "授权书.pdf") => new { fileName, contentBase64 = Convert.ToBase64String(SignedAuthorisationPdf()) };
}
