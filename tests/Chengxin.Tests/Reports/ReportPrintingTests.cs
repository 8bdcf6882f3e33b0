using Chengxin.Catalog;
using Chengxin.Reports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chengxin.Tests.Reports;

/// <summary>Printing a report when chromium misbehaves: the caller is told the PDF cannot be made now, and nothing is left running.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReportPrintingTests
{
    [Fact]
    public async Task AChromiumThatHangsIsStoppedAndThePdfSaidToBeUnavailable()
    {
        var folder = Directory.CreateTempSubdirectory("chengxin-hung-printer-");
        try
        {
            // Stands where chromium would and never prints: as a chromium stuck on a broken font cache or a full disk does.
            var printer = Path.Combine(folder.FullName, "chromium");
            var marker = Path.Combine(folder.FullName, "still-running");
            await File.WriteAllTextAsync(printer, $"#!/bin/sh\nsleep 5\ntouch {marker}\n");
            File.SetUnixFileMode(printer, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
            var document = new ReportDocument(new ReportOptions { Chromium = printer, PrintTimeoutSeconds = 1 },
                new CatalogStore(services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System),
                services.GetRequiredService<IStringLocalizer<SharedResource>>(), NullLogger<ReportDocument>.Instance);

            var refused = await Assert.ThrowsAsync<PdfUnavailableException>(() => document.RenderPdfAsync("<p>个人公共信用信息报告</p>", CancellationToken.None));

            // A PdfUnavailableException is what the API answers 503 with, the reason in words.
            Assert.Contains("longer than 1 s", refused.Message, StringComparison.Ordinal);
            // The stuck process was stopped, not left to finish.
            await Task.Delay(TimeSpan.FromSeconds(6));
            Assert.False(File.Exists(marker));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
