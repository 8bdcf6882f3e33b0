using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Chengxin.Catalog;
using QRCoder;

namespace Chengxin.Reports;

/// <summary><c>Reports:*</c>: where chromium is, and the address printed in every report's QR code.</summary>
public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>The chromium binary that prints reports to PDF; found on the PATH's usual places when not set.</summary>
    public string? Chromium { get; set; }

    /// <summary>The public address of the platform, for the verification link (e.g. https://credit.example.gov.cn).</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How long chromium may take to print one report before it is stopped and the PDF said to be unavailable (503).</summary>
    public int PrintTimeoutSeconds { get; set; } = 60;
}

/// <summary>Thrown when a PDF cannot be made on this machine: chromium is missing or failed.</summary>
public sealed class PdfUnavailableException(string message) : Exception(message);

/// <summary>
/// The report as a printable HTML page (identity, summary, records by category, lists, query
/// history, and a QR code of its verification address) and as PDF, printed by Debian's chromium
/// with the Noto CJK fonts, so Chinese text is real text in the PDF.
/// </summary>
public sealed class ReportDocument(ReportOptions options, CatalogStore catalog, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> text, ILogger<ReportDocument> logger)
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    // A chromium process is heavy: a few print at a time, the rest wait, so a burst of PDFs cannot starve the node.
    private static readonly SemaphoreSlim Printers = new(Math.Max(1, Environment.ProcessorCount / 2));

    public string VerifyUrl(string baseUrl, string code) => $"{(options.PublicBaseUrl ?? baseUrl).TrimEnd('/')}/verify/{code}";

    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    /// <summary>The report as HTML, in Chinese as the national report is, with the catalog's field labels.</summary>
    /// <param name="contentSha256">The digest the verification page shows, printed so a holder can compare the two.</param>
    public async Task<string> RenderHtmlAsync(CreditReportContent report, string verifyUrl, string? contentSha256, CancellationToken cancellationToken)
    {
        var items = await catalog.ByCodeAsync(cancellationToken);
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = Chinese;
        try
        {
            return RenderHtml(report, verifyUrl, contentSha256, items);
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    private string RenderHtml(CreditReportContent report, string verifyUrl, string? contentSha256, IReadOnlyDictionary<string, CatalogItemInForce> items)
    {
        // A field as its label and value in words, the field looked up once.
        string Line(string itemCode, JsonProperty p)
        {
            var field = items.GetValueOrDefault(itemCode)?.Item.Fields.FirstOrDefault(f => f.Name == p.Name);
            return $"{E(field?.Label?.Zh ?? p.Name)}：{E(CatalogField.Display(field, p.Value, english: false))}";
        }
        using var qrData = QRCodeGenerator.GenerateQrCode(verifyUrl, QRCodeGenerator.ECCLevel.M);
        var qr = new SvgQRCode(qrData).GetGraphic(3);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>个人公共信用信息报告 {{E(report.ReportNo)}}</title>
            <style>
              @page { size: A4; margin: 16mm 14mm; }
              body { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; font-size: 11pt; margin: 0; color: #111; }
              h1 { font-size: 18pt; text-align: center; } h2 { font-size: 13pt; border-bottom: 1px solid #444; margin-top: 1.5em; }
              table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #999; padding: 4px 6px; text-align: left; vertical-align: top; }
              .head { display: flex; justify-content: space-between; align-items: flex-start; } .qr svg { width: 110px; height: 110px; }
              .note { font-size: 9pt; color: #444; } .date { white-space: nowrap; } .digest { font-family: monospace; font-size: 8pt; word-break: break-all; }
            </style></head><body>
            <h1>个人公共信用信息报告<br><small>{{(report.Kind == "self" ? "（本人版）" : "（授权查询版）")}}</small></h1>
            <div class="head"><div>
            <p>报告编号：<strong>{{E(report.ReportNo)}}</strong></p>
            <p>验证码：<strong>{{E(report.VerificationCode)}}</strong></p>
            <p>出具时间：{{ReportService.Format(report.IssuedAt)}}（北京时间）</p>
            """);
        if (contentSha256 is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{E(text["Report.Digest"])}：<span class=\"digest\">{E(contentSha256)}</span></p>");
        }
        if (report.Querier is { } querier)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>查询机构：{E(querier.Name)}（{E(querier.Code)}）</p><p>查询目的：{E(report.Purpose)}</p><p>授权编号：{report.AuthorizationId}</p>");
        }
        html.Append(CultureInfo.InvariantCulture, $"""
            </div><div class="qr">{qr}<div class="note">扫码核验</div></div></div>
            <h2>一、身份信息</h2>
            <table><tr><th>姓名</th><td>{E(report.Subject.Name)}</td><th>证件类型</th><td>{E(ReportLabels.IdType(text, report.Subject.IdType))}</td><th>证件号码</th><td>{E(Identity.Masking.IdNumber(report.Subject.IdNumber))}</td></tr></table>
            <h2>二、信息概要</h2>
            <table><tr><th>记录总数</th><td>{report.Summary.Records}</td><th>正面</th><td>{report.Summary.Positive}</td><th>负面</th><td>{report.Summary.Negative}</td><th>中性</th><td>{report.Summary.Neutral}</td></tr></table>
            <p class="note">覆盖类别：{E(string.Join("、", report.Scope.Select(c => ReportLabels.Category(text, c))))}</p>
            <h2>三、信用记录</h2>
            """);
        if (report.Records.Count == 0)
        {
            html.Append("<p>无记录。</p>");
        }
        foreach (var group in report.Records.GroupBy(r => r.Category))
        {
            html.Append(CultureInfo.InvariantCulture, $"<h3>{E(ReportLabels.Category(text, group.Key))}</h3><table><tr><th>事项</th><th>提供单位</th><th class=\"date\">日期</th><th class=\"date\">失信程度</th><th class=\"date\">展示至</th><th>内容</th></tr>");
            foreach (var record in group)
            {
                var fields = string.Join("<br>", record.Fields.EnumerateObject().Select(p => Line(record.CatalogItem, p)));
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(record.ItemName)}{(record.IsReference ? "（参考）" : "")}</td><td>{E(record.Provider)}</td><td class=\"date\">{record.OccurredOn:yyyy-MM-dd}</td><td>{E(ReportLabels.Grade(text, record.Grade))}</td><td class=\"date\">{record.ShownThrough?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"}</td><td>{fields}</td></tr>");
            }
            html.Append("</table>");
        }
        html.Append("<h2>四、名单信息</h2>");
        html.Append(report.Lists.Count == 0 ? "<p>未列入红名单或严重失信主体名单。</p>" : $"<p>{E(string.Join("、", report.Lists))}</p>");
        html.Append("<h2>五、查询记录</h2>");
        if (report.Kind != "self")
        {
            html.Append("<p class=\"note\">授权查询版不含查询记录。</p>");
        }
        else if (report.Queries.Count == 0)
        {
            html.Append("<p>无他人查询记录。</p>");
        }
        else
        {
            html.Append("<table><tr><th>时间</th><th>查询方</th><th>目的</th><th>依据</th></tr>");
            foreach (var query in report.Queries)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{ReportService.Format(query.At)}</td><td>{E(query.Who)}</td><td>{E(ReportLabels.Purpose(text, query.Purpose))}</td><td>{E(ReportLabels.Basis(text, query.Basis, query.AuthorisationChannel))}{(query.ReportNo is { } reportNo ? "<br>" + E(ReportLabels.ReportRead(text, query.ReportRead, reportNo)) : "")}</td></tr>");
            }
            html.Append("</table>");
        }
        html.Append(CultureInfo.InvariantCulture, $"""
            <p class="note">本报告仅包含处于展示期内、未被撤销或修复的信息。核验地址：{E(verifyUrl)}。核验页面只显示报告是否出具、出具时间、脱敏身份和内容摘要，不显示报告内容。</p>
            </body></html>
            """);
        return html.ToString();
    }

    /// <summary>Prints the HTML to PDF with headless chromium.</summary>
    public async Task<byte[]> RenderPdfAsync(string html, CancellationToken cancellationToken)
    {
        var chromium = FindChromium() ?? throw new PdfUnavailableException("PDF reports need chromium on this machine (apt-get install chromium fonts-noto-cjk), or Reports:Chromium set to its path.");
        await Printers.WaitAsync(cancellationToken);
        var folder = Directory.CreateTempSubdirectory("chengxin-report-");
        try
        {
            var page = Path.Combine(folder.FullName, "report.html");
            var pdf = Path.Combine(folder.FullName, "report.pdf");
            await File.WriteAllTextAsync(page, html, cancellationToken);
            var start = new ProcessStartInfo(chromium)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            // No sandbox: the page is our own HTML from a private temporary folder, and the platform may run as root in containers.
            foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--disable-extensions",
                $"--user-data-dir={Path.Combine(folder.FullName, "profile")}", $"--print-to-pdf={pdf}", new Uri(page).AbsoluteUri })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start) ?? throw new PdfUnavailableException("chromium did not start.");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.PrintTimeoutSeconds)));
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            _ = process.StandardOutput.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                // Our own limit, not the caller leaving: said as a PDF this server cannot make now (503), not an error (500).
                logger.LogError("chromium printed no PDF within {Seconds} s (Reports:PrintTimeoutSeconds); stopped it.", options.PrintTimeoutSeconds);
                throw new PdfUnavailableException($"chromium took longer than {options.PrintTimeoutSeconds} s to print the report; try again later.");
            }
            if (!File.Exists(pdf))
            {
                logger.LogError("chromium printed no PDF (exit {Exit}): {Errors}", process.ExitCode, await errors);
                throw new PdfUnavailableException("chromium could not print the report.");
            }
            return PdfTextLayer.Mend(await File.ReadAllBytesAsync(pdf, cancellationToken));
        }
        finally
        {
            folder.Delete(recursive: true);
            Printers.Release();
        }
    }

    /// <summary>Whether this machine can print PDFs (chromium is installed); the portal says so in words when it cannot.</summary>
    public bool CanPrint => FindChromium() is not null;

    private string? FindChromium() =>
        new[] { options.Chromium, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(path => path is { Length: > 0 } && File.Exists(path));

    private static string E(string text) => Html.Encode(text);

    public static string CategoryLabel(CatalogCategory category) => AuthorisationService.CategoryName(category);
}
